// The line of a function's own header in the patch that shows it, for [S] marks: facts carry the
// statements, not the signature line.
import type { Series } from '../../../bot/model.ts';
import type { FunctionFacts } from '../types.ts';
import { escapeRe } from './c-expr.ts';

export function functionHeaderLine(series: Series, fn: FunctionFacts): number | undefined {
  if (!fn.name) return undefined;
  const header = new RegExp(`^[A-Za-z_][^;=]*\\b${escapeRe(fn.name)}\\s*\\([^;]*$`);
  const patch = series.patches.find((p) => p.index === fn.patch);
  const file = patch?.files.find((f) => f.path === fn.file);
  for (const hunk of file?.hunks ?? []) {
    for (const l of hunk.lines) if (l.type !== 'del' && l.newLine !== undefined && header.test(l.text)) return l.newLine;
  }
  return undefined;
}
