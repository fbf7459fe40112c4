import rule from '../../../rules/dept/unbalanced-sleep-annotation.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';

const DRV = 'drivers/gpu/drm/foo/foo_sync.c';

const wrap = (inner: string, start = 60): HunkSpec => ({
  start,
  body: `+static int foo_wait_ready(struct foo_dev *fdev)
+{
+	int ret = 0;
+
+	sdt_might_sleep_start(NULL);
+	for (;;) {
+		set_current_state(TASK_INTERRUPTIBLE);
${inner}+		if (fdev->ready)
+			break;
+		schedule();
+	}
+	__set_current_state(TASK_RUNNING);
+	sdt_might_sleep_end();
+out:
+	return ret;
+}
`,
});

const earlyReturn = wrap(`+		if (signal_pending(current))
+			return -EINTR;
`);
const gotoPastEnd = wrap(`+		if (signal_pending(current)) {
+			ret = -EINTR;
+			goto out;
+		}
`);
const timeoutReturn: HunkSpec = {
  start: 200,
  section: 'static long foo_wait_fence(struct foo_fence *f, long timeout)',
  body: ` 	long ret = timeout;
 
+	sdt_might_sleep_start_timeout(NULL, timeout);
 	while (!foo_fence_signaled(f)) {
 		ret = schedule_timeout(ret);
+		if (!ret)
+			return 0;
 	}
+	sdt_might_sleep_end();
 	return ret;
`,
};

/** One function in two hunks: only the first names sdt_might_sleep_start(); the exit and the end are in the second. */
const splitStart: HunkSpec = {
  start: 60,
  section: 'static int foo_wait_ready(struct foo_dev *fdev)',
  body: ` 	int ret = 0;
 
+	sdt_might_sleep_start(NULL);
 	while (!fdev->ready) {
`,
};
const splitExit: HunkSpec = {
  start: 90,
  section: 'static int foo_wait_ready(struct foo_dev *fdev)',
  body: ` 		if (fdev->dead)
+			return -ENODEV;
 		schedule();
 		foo_poll(fdev);
 		sdt_might_sleep_end();
`,
};

const cases: RuleCases = {
  valid: [
    {
      name: 'catalog good shape: the exit goes through a label before sdt_might_sleep_end()',
      diff: fileDiff(DRV, {
        start: 60,
        body: `+static int foo_wait_ready(struct foo_dev *fdev)
+{
+	int ret = 0;
+
+	sdt_might_sleep_start(NULL);
+	if (signal_pending(current)) {
+		ret = -EINTR;
+		goto out;
+	}
+	schedule();
+out:
+	sdt_might_sleep_end();
+	return ret;
+}
`,
      }),
    },
    {
      name: 'DEPT v18 12/42: the waitqueue macro in include/linux/wait.h',
      diff: fileDiff('include/linux/wait.h', {
        start: 306,
        body: ` 	struct wait_queue_entry __wq_entry;					\\
 	long __ret = ret;	/* explicit shadow */				\\
 										\\
+	sdt_might_sleep_start(NULL);						\\
 	init_wait_entry(&__wq_entry, exclusive ? WQ_FLAG_EXCLUSIVE : 0);	\\
`,
      }),
    },
    { name: 'the early return is a deleted line', diff: fileDiff(DRV, { ...earlyReturn, body: earlyReturn.body.replace('+\t\t\treturn -EINTR;', '-\t\t\treturn -EINTR;') }) },
    {
      name: 'the end is not visible: nothing to balance against',
      diff: fileDiff(DRV, { start: 400, section: 'static int foo_block(struct foo_dev *fdev)', body: ` 	int ret;
 
+	sdt_might_sleep_start(&fdev->dmap);
+	if (fdev->dead)
+		return -ENODEV;
 	for (;;) {
` }),
    },
  ],
  invalid: [
    { name: 'catalog bad shape: return -EINTR inside the annotated stretch', diff: fileDiff(DRV, earlyReturn), errors: [{ file: DRV, line: lineIn(earlyReturn, 'return -EINTR'), messageId: 'returns' }] },
    { name: 'goto to a label after sdt_might_sleep_end()', diff: fileDiff(DRV, gotoPastEnd), errors: [{ file: DRV, line: lineIn(gotoPastEnd, 'goto out'), messageId: 'jumpsOut' }] },
    {
      name: 'the start in one hunk, the exit in a later hunk of the same function that mentions no start',
      diff: fileDiff(DRV, splitStart, splitExit),
      errors: [{ file: DRV, line: lineIn(splitExit, 'return -ENODEV'), messageId: 'returns' }],
    },
    { name: 'timed wait returns on timeout before the end', diff: fileDiff(DRV, timeoutReturn), errors: [{ file: DRV, line: lineIn(timeoutReturn, 'return 0'), messageId: 'returns' }] },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
