// Turns a region into parseable C: body code is wrapped in a synthetic function so that statements
// parse as statements, the signature rows are blanked (macros in heads break the parse; the head
// is read separately), and braces a cut-off hunk leaves open are closed on extra rows.
import type { Region } from './regions.ts';
import { blankNonCode } from './text.ts';

const WRAPPER = 'void __h(void)';
// Annotations that tree-sitter does not know; blanked with spaces so columns stay put.
const ATTRIBUTES = /\b(__user|__iomem|__rcu|__force|__percpu|__must_check|__maybe_unused|__always_unused|__init|__exit|__cold|__ro_after_init|__read_mostly|noinline|__always_inline)\b/g;

export interface RegionSource {
  text: string;
  /** Number of rows that belong to the region (rows after it are synthetic). */
  realRows: number;
  /** True when the code is wrapped in the synthetic function (function and lead regions). */
  wrapped: boolean;
}

export function regionSource(lines: readonly string[], reg: Region): RegionSource {
  const rows = lines.slice(reg.start, reg.end + 1).map((l) => (l.includes('__') || l.includes('noinline') ? l.replace(ATTRIBUTES, (m) => ' '.repeat(m.length)) : l));
  if (reg.start === 0) blankCommentTail(rows);
  const wrapped = reg.kind !== 'file';
  if (reg.kind === 'function' && reg.braceRow !== undefined) {
    const b = reg.braceRow - reg.start;
    for (let i = 0; i < b; i++) rows[i] = '';
    const braceLine = rows[b] ?? '{';
    rows[b] = WRAPPER + braceLine.slice(Math.max(0, braceLine.indexOf('{')));
  }
  const { min, final } = braceBalance(rows.join('\n'));
  let open = final;
  if (reg.kind === 'lead') {
    const opens = Math.max(-min, 1);
    rows[0] = `${WRAPPER}${'{'.repeat(opens)}${rows[0] ?? ''}`;
    open = opens + final;
  }
  const realRows = rows.length;
  for (let i = 0; i < open; i++) rows.push('}');
  return { text: rows.join('\n'), realRows, wrapped };
}

/**
 * A hunk that starts inside a block comment shows its tail (" * text", " *\/") without the "/*";
 * read as code, "*" lines, quotes and parentheses in the prose swallow the statements after it.
 * Those rows are blanked up to the "*\/" (with spaces, as annotations are).
 */
function blankCommentTail(rows: string[]): void {
  for (let r = 0; r < rows.length; r++) {
    const line = rows[r] ?? '';
    const open = line.indexOf('/*');
    const close = line.indexOf('*/');
    if (open >= 0 && (close < 0 || open < close)) return;
    const starLine = /^\s*\*/.test(line);
    if (close >= 0) {
      if (!starLine) return;
      for (let i = 0; i < r; i++) rows[i] = ' '.repeat((rows[i] ?? '').length);
      rows[r] = ' '.repeat(close + 2) + line.slice(close + 2);
      return;
    }
    if (!starLine && line.trim() !== '') return;
  }
}

function braceBalance(text: string): { min: number; final: number } {
  const code = blankNonCode(text);
  let d = 0;
  let min = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 123) d++;
    else if (c === 125) {
      d--;
      if (d < min) min = d;
    }
  }
  return { min, final: d };
}
