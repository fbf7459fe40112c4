// New-side line numbers inside a HunkSpec, found by text, so the tables need no hand counting.
import type { HunkSpec } from '../../helpers/git-diff.ts';

/** New-side line of the nth (1-based) post-image line of the hunk that contains `needle`. */
export function lineIn(h: HunkSpec, needle: string, nth = 1): number {
  let line = h.start;
  let seen = 0;
  for (const l of h.body.replace(/\n$/, '').split('\n')) {
    if (l.startsWith('-')) continue;
    if (l.includes(needle) && ++seen === nth) return line;
    line++;
  }
  throw new Error(`"${needle}" not in hunk`);
}
