// A hunk's post-image (context + added) or pre-image (context + deleted) as lines with numbers.
import type { Hunk } from '../../../bot/model.ts';

export interface ImageLines {
  text: string[];
  /** Line number in the file, per row. */
  line: number[];
  /** Added (post-image) or deleted (pre-image) row. */
  changed: boolean[];
}

export function hunkImage(hunk: Hunk, image: 'new' | 'old'): ImageLines {
  const out: ImageLines = { text: [], line: [], changed: [] };
  const skip = image === 'new' ? 'del' : 'add';
  for (const l of hunk.lines) {
    if (l.type === skip) continue;
    const n = image === 'new' ? l.newLine : l.oldLine;
    out.text.push(l.text);
    out.line.push(n ?? 0);
    out.changed.push(l.type !== 'context');
  }
  return out;
}
