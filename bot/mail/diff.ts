// Unified diff -> FileChange[]. parse-diff numbers the hunk lines; the git extended headers it
// ignores (rename/copy, binary, mode-only) are read here, per file block, so each block's headers
// stay attached to its own hunks. Paths are untrusted text: decoded, never used on a file system.
import parseDiff from 'parse-diff';
import type { FileChange, FileStatus, Hunk, HunkLine } from '../model.ts';

interface BlockHeaders {
  gitOld?: string;
  gitNew?: string;
  minus?: string;
  plus?: string;
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  oldMode?: string;
  newMode?: string;
  added: boolean;
  deleted: boolean;
  binary: boolean;
}

const HUNK_HEADER = /^@@+ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@+ ?(.*)$/;

/** Parses the text of one or more file diffs (git or plain unified format). Unknown lines are skipped. */
export function parseUnifiedDiff(text: string): FileChange[] {
  const changes: FileChange[] = [];
  for (const block of splitFileBlocks(text.replace(/\r\n/g, '\n'))) {
    const change = toFileChange(block);
    if (change) changes.push(change);
  }
  return changes;
}

/** Upper bounds on what parseUnifiedDiff(text) yields, from line starts alone (no parsing). */
export interface DiffSizeBounds {
  files: number;
  hunks: number;
  /** Hunk lines: added, deleted and context. */
  lines: number;
}

/**
 * Bounds for the text lines[start..end) joined by '\n'. A file block starts at a "diff --git " or
 * "--- " line, a hunk at a "@@" line, and every hunk line is a line of the text.
 */
export function diffSizeBounds(lines: readonly string[], start = 0, end = lines.length): DiffSizeBounds {
  let files = 0;
  let hunks = 0;
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? '';
    const c = line.charCodeAt(0);
    if (c === 64 /* @ */) {
      if (line.charCodeAt(1) === 64) hunks++;
    } else if (c === 100 /* d */) {
      if (line.startsWith('diff --git ')) files++;
    } else if (c === 45 /* - */ && line.startsWith('--- ')) {
      files++;
    }
  }
  return { files, hunks, lines: Math.max(0, end - start) };
}

/**
 * Splits at "diff --git" (or at a new "---"/"+++" pair after hunks for plain diffs), counting hunk
 * lines so that a removed line that happens to read "--- x" never starts a new file.
 */
function splitFileBlocks(text: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  let oldLeft = 0;
  let newLeft = 0;
  let sawHunk = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (oldLeft > 0 || newLeft > 0) {
      current?.push(line);
      const c = line[0];
      if (c === '-') oldLeft--;
      else if (c === '+') newLeft--;
      else if (c !== '\\') {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    const startsPlain = line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ') && (sawHunk || !current);
    if (line.startsWith('diff --git ') || startsPlain) {
      current = [];
      blocks.push(current);
      sawHunk = false;
    }
    if (!current) continue;
    const m = HUNK_HEADER.exec(line);
    if (m) {
      sawHunk = true;
      oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      newLeft = m[4] === undefined ? 1 : Number(m[4]);
    }
    current.push(line);
  }
  return blocks;
}

function readHeaders(block: string[]): BlockHeaders {
  const h: BlockHeaders = { added: false, deleted: false, binary: false };
  for (const line of block) {
    if (line.startsWith('@@')) break;
    let m: RegExpExecArray | null;
    if (line.startsWith('diff --git ')) {
      const [a, b] = splitGitPaths(line.slice('diff --git '.length));
      h.gitOld = a;
      h.gitNew = b;
    } else if ((m = /^new file mode (\d+)/.exec(line))) {
      h.added = true;
      h.newMode = m[1];
    } else if ((m = /^deleted file mode (\d+)/.exec(line))) {
      h.deleted = true;
      h.oldMode = m[1];
    } else if ((m = /^old mode (\d+)/.exec(line))) h.oldMode = m[1];
    else if ((m = /^new mode (\d+)/.exec(line))) h.newMode = m[1];
    else if ((m = /^index [0-9a-f]+\.\.[0-9a-f]+ (\d+)/.exec(line))) {
      h.oldMode ??= m[1];
      h.newMode ??= m[1];
    } else if (line.startsWith('rename from ')) h.renameFrom = decodePath(line.slice(12));
    else if (line.startsWith('rename to ')) h.renameTo = decodePath(line.slice(10));
    else if (line.startsWith('copy from ')) h.copyFrom = decodePath(line.slice(10));
    else if (line.startsWith('copy to ')) h.copyTo = decodePath(line.slice(8));
    else if (line.startsWith('Binary files ') || line.startsWith('GIT binary patch')) h.binary = true;
    else if (line.startsWith('--- ')) h.minus = headerPath(line.slice(4));
    else if (line.startsWith('+++ ')) h.plus = headerPath(line.slice(4));
  }
  return h;
}

function toFileChange(block: string[]): FileChange | null {
  const h = readHeaders(block);
  const parsed = parseDiff(withoutOrphanMarkers(block).join('\n'));
  const chunks = parsed.flatMap((f) => f.chunks);
  if (h.minus === '/dev/null') h.added = true;
  if (h.plus === '/dev/null') h.deleted = true;

  let oldPath = h.renameFrom ?? h.copyFrom ?? nonNull(h.minus) ?? h.gitOld ?? null;
  let newPath = h.renameTo ?? h.copyTo ?? nonNull(h.plus) ?? h.gitNew ?? null;
  if (h.added) oldPath = null;
  if (h.deleted) newPath = null;
  const path = newPath ?? oldPath;
  if (path === null) return null;

  const hunks = chunks.map(toHunk);
  const change: FileChange = { oldPath, newPath, path, status: statusOf(h, hunks.length), binary: h.binary, hunks };
  if (h.oldMode !== undefined) change.oldMode = h.oldMode;
  if (h.newMode !== undefined) change.newMode = h.newMode;
  return change;
}

/**
 * [hardening] Drops a "\\ No newline" marker that follows no change line: parse-diff attaches it to
 * the previous change and throws when there is none (found by test/fuzz/diff.test.ts).
 */
function withoutOrphanMarkers(block: readonly string[]): string[] {
  const out: string[] = [];
  let inHunk = false;
  let afterChange = false;
  for (const line of block) {
    const c = line[0];
    if (c === '\\' && !afterChange) continue;
    out.push(line);
    if (line.startsWith('@@')) inHunk = true;
    afterChange = inHunk && !line.startsWith('@@') && (c === '+' || c === '-' || c === ' ' || c === '\\');
  }
  return out;
}

function statusOf(h: BlockHeaders, hunkCount: number): FileStatus {
  if (h.added) return 'added';
  if (h.deleted) return 'deleted';
  if (h.renameFrom !== undefined || h.renameTo !== undefined) return 'renamed';
  if (h.copyFrom !== undefined || h.copyTo !== undefined) return 'copied';
  if (hunkCount === 0 && !h.binary && h.oldMode !== undefined && h.newMode !== undefined && h.oldMode !== h.newMode) {
    return 'mode';
  }
  return 'modified';
}

function toHunk(chunk: parseDiff.Chunk): Hunk {
  const lines: HunkLine[] = [];
  for (const c of chunk.changes) {
    // parse-diff repeats the previous change for "\ No newline at end of file"; that is no line.
    if (c.content.startsWith('\\')) continue;
    const text = c.content.slice(1);
    if (c.type === 'add') lines.push({ type: 'add', text, newLine: c.ln });
    else if (c.type === 'del') lines.push({ type: 'del', text, oldLine: c.ln });
    else lines.push({ type: 'context', text, oldLine: c.ln1, newLine: c.ln2 });
  }
  const section = HUNK_HEADER.exec(chunk.content)?.[5]?.trim() ?? '';
  return {
    oldStart: chunk.oldStart,
    oldLines: chunk.oldLines,
    newStart: chunk.newStart,
    newLines: chunk.newLines,
    section,
    lines,
  };
}

function nonNull(p: string | undefined): string | undefined {
  return p === '/dev/null' ? undefined : p;
}

/** "a/x/y.c\t2020-01-01 ..." -> "x/y.c"; quoted C-style paths are decoded. */
function headerPath(raw: string): string {
  let p = raw.replace(/\t.*$/, '').trim();
  p = decodePath(p);
  return p === '/dev/null' ? p : stripPrefix(p);
}

function stripPrefix(p: string): string {
  return p.replace(/^[abciow12]\//, '');
}

/** The two paths of "diff --git a/x b/x": quoted ones are exact, unquoted ones split where both halves agree. */
function splitGitPaths(rest: string): [string | undefined, string | undefined] {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest);
    const a = decodePath(rest.slice(0, end + 1));
    const b = decodePath(rest.slice(end + 1).trim());
    return [stripPrefix(a), stripPrefix(b)];
  }
  const q = rest.indexOf(' "');
  if (q >= 0) return [stripPrefix(rest.slice(0, q)), stripPrefix(decodePath(rest.slice(q + 1)))];
  // Unquoted and possibly with spaces: "a/P b/P" has odd length and equal halves when unrenamed.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ') {
    const a = stripPrefix(rest.slice(0, half));
    const b = stripPrefix(rest.slice(half + 1));
    if (a === b) return [a, b];
  }
  const sp = rest.indexOf(' b/');
  if (sp >= 0) return [stripPrefix(rest.slice(0, sp)), stripPrefix(rest.slice(sp + 1))];
  return [undefined, undefined];
}

function closingQuote(s: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return s.length - 1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Decodes git's quoted path form ("a/t\303\251st") into text; control characters become '?'. */
function decodePath(p: string): string {
  let s = p.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    const bytes: number[] = [];
    const body = s.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
      const ch = body[i] ?? '';
      if (ch !== '\\') {
        bytes.push(...Buffer.from(ch, 'utf8'));
        continue;
      }
      const oct = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
      if (oct) {
        bytes.push(parseInt(oct[0], 8));
        i += 3;
      } else {
        const next = body[i + 1] ?? '';
        bytes.push(...Buffer.from(ESCAPES[next] ?? next, 'utf8'));
        i++;
      }
    }
    s = Buffer.from(bytes).toString('utf8');
  }
  return s.replace(/[\x00-\x1f\x7f]/g, '?');
}
