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
