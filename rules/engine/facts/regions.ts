// Splits one hunk image into function-sized regions by kernel coding style: a function body opens
// with "{" in column 0 (or a one-line "...) {" head) and closes with "}" in column 0. Code before
// the first such brace continues the function named in the hunk header, when it looks like body
// code (indented), and has an unknown prefix.
export type RegionKind = 'lead' | 'function' | 'file';

export interface Region {
  kind: RegionKind;
  /** First and last row (inclusive) in the image. */
  start: number;
  end: number;
  /** Row of the body's opening brace (function regions). */
  braceRow?: number;
  /** Head text (signature) when its first line is visible. */
  head?: string;
  /** True when the region ends with the function's closing brace. */
  closed: boolean;
}

const FN_CLOSE = /^\}/;
const FN_OPEN = /^\{/;
const ONE_LINE_HEAD = /^[A-Za-z_][^;=]*\)\s*\{.*$/;

export function splitRegions(lines: readonly string[]): Region[] {
  const regions: Region[] = [];
  let cur: Region = { kind: 'lead', start: 0, end: -1, closed: false };
  const close = (end: number, closed: boolean): void => {
    cur.end = end;
    cur.closed = closed;
    if (cur.end >= cur.start) regions.push(cur);
  };
  for (let r = 0; r < lines.length; r++) {
    const line = lines[r] ?? '';
    const headLine = ONE_LINE_HEAD.test(line) && !/^(if|for|while|switch|do|else)\b/.test(line);
    if (FN_OPEN.test(line) || headLine) {
      const headStart = headLine ? r : findHeadStart(lines, r, cur.start);
      close(headStart - 1, false);
      const head = lines.slice(headStart, r + (headLine ? 1 : 0)).join('\n');
      cur = { kind: 'function', start: headStart, end: -1, braceRow: r, closed: false };
      if (/^[A-Za-z_]/.test(lines[headStart] ?? '')) cur.head = head.slice(0, headLine ? head.indexOf('{') : undefined);
      if (headLine && /\}\s*(?:;\s*)?$/.test(line) && balanced(line)) {
        close(r, true);
        cur = { kind: 'file', start: r + 1, end: -1, closed: false };
      }
    } else if (FN_CLOSE.test(line)) {
      close(r, true);
      cur = { kind: 'file', start: r + 1, end: -1, closed: false };
    }
  }
  close(lines.length - 1, false);
  return regions.map((reg) => (reg.kind === 'lead' && !looksLikeBody(lines, reg) ? { ...reg, kind: 'file' } : reg));
}

/** Walks back from a column-0 "{" over the signature lines. */
function findHeadStart(lines: readonly string[], braceRow: number, floor: number): number {
  let h = braceRow;
  while (h - 1 >= floor && braceRow - h < 10) {
    const prev = lines[h - 1] ?? '';
    if (prev.trim() === '' || FN_CLOSE.test(prev) || /[;{]\s*$/.test(prev) || /\*\/\s*$/.test(prev) || prev.startsWith('#')) break;
    h--;
  }
  return h;
}

/** Lead code belongs to a function when its first code line is indented, a label, or a closing brace. */
function looksLikeBody(lines: readonly string[], reg: Region): boolean {
  for (let r = reg.start; r <= reg.end; r++) {
    const line = lines[r] ?? '';
    if (line.trim() === '' || /^\s*(\/\*|\*|\/\/)/.test(line) || line.startsWith('#')) continue;
    return /^\s/.test(line) || /^[A-Za-z_]\w*:/.test(line) || FN_CLOSE.test(line);
  }
  return false;
}

function balanced(line: string): boolean {
  let d = 0;
  for (const c of line) {
    if (c === '{') d++;
    else if (c === '}') d--;
  }
  return d === 0;
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', '__attribute__', '__typeof__', 'defined']);

/** Function name from a signature or a hunk header ("static int foo(struct x *y)" -> "foo"); null if none. */
export function functionNameOf(head: string): string | null {
  const t = head.replace(/\s+/g, ' ').trim();
  if (t === '' || /;\s*$/.test(t)) return null;
  const re = /(?<!\w)([A-Za-z_]\w*)\(/g;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const name = m[1] ?? '';
    if (t.slice(0, m.index).includes('=')) return null;
    if (KEYWORDS.has(name) || /^__(attribute|printf|releases|acquires|must_hold)/.test(name)) continue;
    return name;
  }
  return null;
}

/** The name of the function a region is part of: from its visible signature, else from the hunk header; null at file scope. */
export function regionName(reg: Region, section: string): string | null {
  if (reg.kind === 'function' && reg.head !== undefined) return functionNameOf(reg.head);
  return reg.kind === 'file' ? null : functionNameOf(section);
}

/** The function's opening brace is in the region. */
export const knowsPrefix = (reg: Region): boolean => reg.kind === 'function';

/** The function's closing brace is in the region. */
export const knowsSuffix = (reg: Region): boolean => reg.kind !== 'file' && reg.closed;
