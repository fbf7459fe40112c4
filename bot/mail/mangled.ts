// Where the diff in a mail body starts and ends, and whether it arrived intact. Hunk headers state
// their line counts; a mail client that wraps long lines or reflows format=flowed text breaks those
// counts or puts lines in a hunk that start with none of ' ', '+', '-', '\'. Such a diff is
// reported as mangled and never handed to the diff parser, so no rule runs on garbage.

export interface DiffExtent {
  /** First line of the diff, or -1 when the body has none. */
  start: number;
  /** Line after the last diff line (signature, list footer and b4 tags stay outside). */
  end: number;
  /** Why the diff cannot be trusted; unset when it is intact. */
  mangled?: string;
}

const HUNK = /^@@+ -(\d{1,9})(?:,(\d{1,9}))? \+(\d{1,9})(?:,(\d{1,9}))? @@/;
const FILE_HEADER_PREFIXES = [
  'diff --git ',
  'index ',
  'new file mode ',
  'deleted file mode ',
  'old mode ',
  'new mode ',
  'similarity index ',
  'dissimilarity index ',
  'rename from ',
  'rename to ',
  'copy from ',
  'copy to ',
  'Binary files ',
  '--- ',
  '+++ ',
];

/** The first line of a diff at or after `from`: "diff --git", or a "--- x" / "+++ y" / "@@" triple. */
function findDiffStart(lines: readonly string[], from = 0): number {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('diff --git ')) return i;
    if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ') && HUNK.test(lines[i + 2] ?? '')) return i;
  }
  return -1;
}

export function locateDiff(lines: readonly string[], from = 0, flowed = false): DiffExtent {
  const start = findDiffStart(lines, from);
  if (start < 0) return { start: -1, end: -1 };
  const damaged = (why: string): DiffExtent => ({
    start,
    end: lines.length,
    mangled: `${flowed ? 'format=flowed mail: ' : ''}${why}`,
  });
  let oldLeft = 0;
  let newLeft = 0;
  let hunkAt = -1;
  let binary = false;
  // A body ending in a newline splits into a last '' that is no line (and no empty context line).
  const last = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let i = start; i < last; i++) {
    const line = lines[i] ?? '';
    if (oldLeft > 0 || newLeft > 0) {
      const c = line.charCodeAt(0);
      if (c === 45 /* - */) oldLeft--;
      else if (c === 43 /* + */) newLeft--;
      else if (c === 32 /* space */ || line.length === 0) {
        // git apply takes an empty line as an empty context line.
        oldLeft--;
        newLeft--;
      } else if (c !== 92 /* \ */) {
        if (HUNK.test(line) || line.startsWith('diff --git ')) return damaged(`hunk at line ${hunkAt + 1} ends early (${oldLeft} old, ${newLeft} new lines missing)`);
        return damaged(`line ${i + 1} inside the hunk at line ${hunkAt + 1} starts with none of ' ', '+', '-': wrapped or reflowed`);
      }
      if (oldLeft < 0 || newLeft < 0) return damaged(`hunk at line ${hunkAt + 1} has more lines than its header counts`);
      continue;
    }
    const m = HUNK.exec(line);
    if (m) {
      binary = false;
      hunkAt = i;
      oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      newLeft = m[4] === undefined ? 1 : Number(m[4]);
      continue;
    }
    if (line.startsWith('\\')) continue;
    if (line.startsWith('GIT binary patch')) {
      binary = true;
      continue;
    }
    if (binary && !line.startsWith('diff --git ') && line !== '-- ') continue;
    if (isFileHeader(line, lines[i + 1])) {
      binary = false;
      continue;
    }
    // Past a complete hunk: a further '+'/'-' line means the counts were wrong.
    if (hunkAt >= 0 && (line.startsWith('+') || (line.startsWith('-') && !line.startsWith('--')))) {
      return damaged(`hunk at line ${hunkAt + 1} has more lines than its header counts`);
    }
    return { start, end: i };
  }
  if (oldLeft > 0 || newLeft > 0) return damaged(`hunk at line ${hunkAt + 1} ends early (${oldLeft} old, ${newLeft} new lines missing)`);
  return { start, end: last };
}

function isFileHeader(line: string, next: string | undefined): boolean {
  if (line.startsWith('--- ')) return (next ?? '').startsWith('+++ ');
  for (const p of FILE_HEADER_PREFIXES) if (line.startsWith(p)) return true;
  return false;
}
