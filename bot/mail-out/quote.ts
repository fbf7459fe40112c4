// The hunk lines a finding concerns, quoted as a kernel reviewer does: "> diff --git" once per
// file, "> @@ ... @@" once per hunk, a few lines of context above the line, "[...]" where lines are
// left out, and the comment right under the line it is about.
import type { FileChange, Hunk, HunkLine, Patch } from '../model.ts';
import type { Finding } from '../../rules/engine/types.ts';

/** Where a finding sits in the patch's diff: file, hunk and line index inside the hunk. */
export interface Anchor {
  file: number;
  hunk: number;
  line: number;
}

function matches(l: HunkLine, f: Finding): boolean {
  if (f.side === 'old') return l.type !== 'add' && l.oldLine === f.line;
  return l.type !== 'del' && l.newLine === f.line;
}

/** The diff line a finding points at, or undefined (no file or line, or a line outside every hunk). */
export function anchorOf(patch: Patch, f: Finding): Anchor | undefined {
  if (f.file === undefined || f.line === undefined) return undefined;
  for (let fi = 0; fi < patch.files.length; fi++) {
    const file = patch.files[fi] as FileChange;
    if (file.path !== f.file && file.newPath !== f.file && file.oldPath !== f.file) continue;
    for (let hi = 0; hi < file.hunks.length; hi++) {
      const li = (file.hunks[hi] as Hunk).lines.findIndex((l) => matches(l, f));
      if (li >= 0) return { file: fi, hunk: hi, line: li };
    }
  }
  return undefined;
}

const MARK: Record<HunkLine['type'], string> = { add: '+', del: '-', context: ' ' };

/** "> " + the line as it was sent, without trailing blanks (an empty context line becomes ">"). */
export function quoteLine(text: string): string {
  return `> ${text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ')}`.trimEnd();
}

function hunkHeader(h: Hunk): string {
  const range = (start: number, count: number): string => (count === 1 ? `${start}` : `${start},${count}`);
  const section = h.section ? ` ${h.section}` : '';
  return `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@${section}`;
}

function fileHeader(f: FileChange): string {
  return `diff --git a/${f.oldPath ?? f.path} b/${f.newPath ?? f.path}`;
}

/**
 * Quoted diff with comments: `comment(findings)` renders the text placed under a line. Findings
 * are grouped by anchor; windows of `context` lines above each anchor are merged when they touch; the rest of a hunk after the last comment is left out, as reviewers do.
 */
export function quoteWithComments(
  patch: Patch,
  anchored: ReadonlyArray<{ finding: Finding; anchor: Anchor }>,
  context: number,
  comment: (findings: Finding[]) => string[],
): string[] {
  const out: string[] = [];
  const byFile = new Map<number, Map<number, Map<number, Finding[]>>>();
  for (const { finding, anchor } of anchored) {
    const hunks = byFile.get(anchor.file) ?? new Map<number, Map<number, Finding[]>>();
    byFile.set(anchor.file, hunks);
    const lines = hunks.get(anchor.hunk) ?? new Map<number, Finding[]>();
    hunks.set(anchor.hunk, lines);
    lines.set(anchor.line, [...(lines.get(anchor.line) ?? []), finding]);
  }
  for (const fi of [...byFile.keys()].sort((a, b) => a - b)) {
    const file = patch.files[fi] as FileChange;
    if (out.length > 0) out.push('');
    out.push(quoteLine(fileHeader(file)));
    const hunks = byFile.get(fi) as Map<number, Map<number, Finding[]>>;
    for (const hi of [...hunks.keys()].sort((a, b) => a - b)) {
      const hunk = file.hunks[hi] as Hunk;
      out.push('[...]');
      out.push(quoteLine(hunkHeader(hunk)));
      let next = 0;
      const lines = hunks.get(hi) as Map<number, Finding[]>;
      for (const li of [...lines.keys()].sort((a, b) => a - b)) {
        const from = Math.max(next, li - context);
        if (from > next) out.push('[...]');
        for (let i = from; i <= li; i++) {
          const l = hunk.lines[i] as HunkLine;
          out.push(quoteLine(`${MARK[l.type]}${l.text}`));
        }
        out.push('', ...comment(lines.get(li) as Finding[]), '');
        next = li + 1;
      }
    }
  }
  return out;
}
