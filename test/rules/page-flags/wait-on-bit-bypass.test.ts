import rule from '../../../rules/page-flags/wait-on-bit-bypass.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';

const FS = 'fs/foofs/inode.c';

const lockedWait: HunkSpec = {
  start: 210,
  section: 'static int foofs_evict_folio(struct folio *folio)',
  body: ` 	if (!folio_test_dirty(folio))
 		return 0;
+	wait_on_bit(&folio->flags, PG_locked, TASK_UNINTERRUPTIBLE);
 	return foofs_write_folio(folio);
`,
};

const writebackIo: HunkSpec = {
  start: 88,
  body: `+static void foofs_sync_page(struct page *page)
+{
+	wait_on_bit_io(&page->flags, PG_writeback,
+		       TASK_UNINTERRUPTIBLE);
+}
`,
};

const lockBit: HunkSpec = {
  start: 300,
  section: 'static int foofs_grab(struct folio *folio)',
  body: ` 	foofs_prepare(folio);
+	if (wait_on_bit_lock(&folio->flags.f, PG_locked, TASK_KILLABLE))
+		return -EINTR;
 	return 0;
`,
};

testRule(rule, {
  valid: [
    { name: 'the folio helper is used', diff: fileDiff(FS, { ...lockedWait, body: lockedWait.body.replace('wait_on_bit(&folio->flags, PG_locked, TASK_UNINTERRUPTIBLE)', 'folio_wait_locked(folio)') }) },
    { name: 'the bypass is deleted', diff: fileDiff(FS, { ...lockedWait, body: lockedWait.body.replace('+\twait_on_bit', '-\twait_on_bit') }) },
    { name: 'the implementation in mm/filemap.c', diff: fileDiff('mm/filemap.c', lockedWait) },
    { name: 'wait_on_bit on a driver-private word and bit', diff: fileDiff(FS, { ...lockedWait, body: lockedWait.body.replace('&folio->flags, PG_locked', '&fi->state, FOOFS_BUSY') }) },
    { name: 'PG_locked only in a comment', diff: fileDiff(FS, { ...lockedWait, body: lockedWait.body.replace('+\twait_on_bit(&folio->flags, PG_locked, TASK_UNINTERRUPTIBLE);', '+\t/* not wait_on_bit(&folio->flags, PG_locked, ...) */\n+\tfolio_wait_locked(folio);') }) },
    {
      name: 'moved code: the same call deleted in the same file',
      diff: fileDiff(FS, { start: 210, body: ` 	if (!folio_test_dirty(folio))\n-\t\twait_on_bit(&folio->flags, PG_locked, TASK_UNINTERRUPTIBLE);\n+\twait_on_bit(&folio->flags, PG_locked, TASK_UNINTERRUPTIBLE);\n` }),
    },
  ],
  invalid: [
    { name: 'wait_on_bit on folio->flags with PG_locked', diff: fileDiff(FS, lockedWait), errors: [{ file: FS, line: lineIn(lockedWait, 'wait_on_bit'), messageId: 'bypass' }] },
    { name: 'wait_on_bit_io on page->flags with PG_writeback, split over two lines', diff: fileDiff(FS, writebackIo), errors: [{ file: FS, line: lineIn(writebackIo, 'wait_on_bit_io'), messageId: 'bypass' }] },
    { name: 'wait_on_bit_lock on folio->flags.f takes PG_locked by hand', diff: fileDiff(FS, lockBit), errors: [{ file: FS, line: lineIn(lockBit, 'wait_on_bit_lock'), messageId: 'bypass' }] },
  ],
});
