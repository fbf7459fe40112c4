import type { FileChange, Patch } from '../../../bot/model.ts';
import { squash } from './c-expr.ts';
import { deletedTexts, isCFile, postImageOf } from './hunk-text.ts';
import type { PostImageLine } from './hunk-text.ts';

/**
 * Files that implement the folio lock/writeback helpers themselves: raw PG_locked/PG_writeback bit
 * operations and bit waits there are the primitive, not a bypass of it.
 */
export const PAGE_FLAGS_IMPLEMENTATION_FILES: ReadonlySet<string> = new Set([
  'include/linux/page-flags.h',
  'include/linux/pagemap.h',
  'mm/filemap.c',
  'mm/page-writeback.c',
  'mm/folio-compat.c',
]);

export interface PageFlagsUserFile {
  file: FileChange;
  /** Post-image lines in order; null marks a gap between hunks. */
  lines: Array<PostImageLine | null>;
  /** True when the expression also stands on a deleted line of the file: code that moved. */
  moved(expr: string): boolean;
}

/** The C files of a patch that use the page-flags helpers rather than implement them. */
export function* pageFlagsUserFiles(patch: Patch): Generator<PageFlagsUserFile> {
  for (const file of patch.files) {
    if (!isCFile(file.path) || PAGE_FLAGS_IMPLEMENTATION_FILES.has(file.path) || file.status === 'deleted') continue;
    const removed = squash(deletedTexts(file).join(' '));
    yield { file, lines: [...postImageOf(patch, file)], moved: (expr) => removed.includes(squash(expr)) };
  }
}
