// Where each finding goes on the PR. A finding names a line of its own patch's post-image; the
// review is on the head commit, so the line is carried through the later patches' hunks to the
// head, then checked against the PR diff: GitHub only accepts comments on lines the diff shows.
import type { Patch, Review } from '../model.ts';
import type { Finding } from '../../rules/engine/types.ts';
import { parseUnifiedDiff } from '../mail/diff.ts';
import type { PullFile } from './api.ts';

export type Placement =
  | { kind: 'line'; path: string; line: number }
  /** On the file, not a line: the line is not part of the PR diff. */
  | { kind: 'file'; path: string; reason: string }
  /** Only in the review body. */
  | { kind: 'summary'; reason: string };

interface HeadLine {
  path: string;
  line: number;
}

/** Carries a post-image line of patch `from` through the later patches; null when one changes it. */
export function lineAtHead(patches: readonly Patch[], from: number, path: string, line: number): HeadLine | { changedBy: number } {
  let current: HeadLine = { path, line };
  for (const patch of patches) {
    if (patch.index <= from) continue;
    const change = patch.files.find((f) => f.oldPath === current.path);
    if (!change) continue;
    if (change.newPath === null) return { changedBy: patch.index };
    let delta = 0;
    let mapped: number | null | undefined;
    for (const hunk of change.hunks) {
      const before = hunk.oldLines === 0 ? current.line <= hunk.oldStart : current.line < hunk.oldStart;
      if (before) break;
      if (current.line < hunk.oldStart + hunk.oldLines) {
        const hit = hunk.lines.find((l) => l.oldLine === current.line && l.type !== 'add');
        mapped = hit?.type === 'context' ? (hit.newLine ?? null) : null;
        break;
      }
      delta += hunk.newLines - hunk.oldLines;
    }
    if (mapped === null) return { changedBy: patch.index };
    current = { path: change.newPath, line: mapped ?? current.line + delta };
  }
  return current;
}

/** New-side line numbers a file's part of the PR diff shows. */
export function diffLines(file: PullFile): Set<number> | undefined {
  if (file.patch === undefined) return undefined;
  const changes = parseUnifiedDiff(`--- a/${file.path}\n+++ b/${file.path}\n${file.patch}\n`);
  const lines = new Set<number>();
  for (const hunk of changes[0]?.hunks ?? []) {
    for (const l of hunk.lines) if (l.type !== 'del' && l.newLine !== undefined) lines.add(l.newLine);
  }
  return lines;
}

function place(review: Review, f: Finding, files: ReadonlyMap<string, PullFile>, linesOf: (file: PullFile) => Set<number> | undefined): Placement {
  if (!f.file) return { kind: 'summary', reason: f.patch === 0 ? 'cover letter' : 'commit message' };
  if (f.line === undefined || f.side === 'old') {
    return files.has(f.file) ? { kind: 'file', path: f.file, reason: 'no line on the new side' } : { kind: 'summary', reason: 'file not in the PR diff' };
  }
  const head = lineAtHead(review.series.patches, f.patch, f.file, f.line);
  if ('changedBy' in head) return { kind: 'summary', reason: `line changed again by commit ${head.changedBy}` };
  const file = files.get(head.path);
  if (!file) return { kind: 'summary', reason: 'file not in the PR diff' };
  const shown = linesOf(file);
  // Without the file's patch (GitHub omits large ones) the line is tried; a 422 falls back.
  if (shown === undefined || shown.has(head.line)) return { kind: 'line', path: head.path, line: head.line };
  return { kind: 'file', path: head.path, reason: `line ${head.line} is not part of the PR diff` };
}

/** One placement per finding, in the order of review.findings. */
export function placeFindings(review: Review, files: readonly PullFile[]): Placement[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const cache = new Map<string, Set<number> | undefined>();
  const linesOf = (file: PullFile): Set<number> | undefined => {
    if (!cache.has(file.path)) cache.set(file.path, diffLines(file));
    return cache.get(file.path);
  };
  return review.findings.map((f) => place(review, f, byPath, linesOf));
}
