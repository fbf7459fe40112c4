// "Is this added line only the move_notify -> invalidate_mappings rename?": the revoke rules do
// not count such lines as new uses, since the code around them is old.
import type { Hunk, Patch } from '../../../bot/model.ts';
import { squash } from './c-expr.ts';
import { hunkAt } from './hunk-text.ts';

/** Old name -> new name pairs of the dma-buf revoke rename (v7 1/8 and 2/8). */
const RENAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bdma_buf_invalidate_mappings\b/g, 'dma_buf_move_notify'],
  [/\binvalidate_mappings\b/g, 'move_notify'],
];

/**
 * True when an added line only renames move_notify to invalidate_mappings: undoing the rename gives
 * a line deleted in the same hunk. Such a line is not a new use; the code around it is old.
 */
export function isRenameOnly(hunk: Hunk, newLine: number): boolean {
  const added = hunk.lines.find((l) => l.type === 'add' && l.newLine === newLine);
  if (!added) return false;
  let undone = added.text;
  for (const [re, old] of RENAMES) undone = undone.replace(re, old);
  if (undone === added.text) return false;
  const target = squash(undone);
  return hunk.lines.some((l) => l.type === 'del' && squash(l.text) === target);
}

/** True when new-side line `line` of `file` is a '+' line that is more than a move_notify rename. */
export function isNewUse(patch: Patch, file: string, line: number): boolean {
  const hunk = hunkAt(patch, file, line);
  if (!hunk) return false;
  const l = hunk.lines.find((x) => x.newLine === line);
  return l?.type === 'add' && !isRenameOnly(hunk, line);
}
