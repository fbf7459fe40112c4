import rule from '../../../rules/dept/unannotated-sleep-loop.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';

const DRV = 'drivers/gpu/drm/foo/foo_fence.c';

const newLoop: HunkSpec = {
  start: 120,
  body: `+static void foo_wait_idle(struct foo_ring *ring)
+{
+	for (;;) {
+		set_current_state(TASK_UNINTERRUPTIBLE);
+		if (foo_ring_idle(ring))
+			break;
+		schedule();
+	}
+	__set_current_state(TASK_RUNNING);
+}
`,
};

const addedInExisting: HunkSpec = {
  start: 300,
  section: 'static int foo_flush(struct foo_dev *fdev)',
  body: ` 	foo_kick(fdev);
 
+	while (!READ_ONCE(fdev->flushed)) {
+		set_current_state(TASK_INTERRUPTIBLE);
+		if (signal_pending(current))
+			break;
+		schedule_timeout(HZ);
+	}
+	__set_current_state(TASK_RUNNING);
 	return 0;
`,
};

const ioSleep: HunkSpec = {
  start: 40,
  body: `+static void foo_wait_dma(struct foo_dma *dma)
+{
+	do {
+		__set_current_state(TASK_KILLABLE);
+		if (dma->done || fatal_signal_pending(current))
+			break;
+		io_schedule();
+	} while (1);
+	__set_current_state(TASK_RUNNING);
+}
`,
};

const cases: RuleCases = {
  valid: [
    {
      name: 'the loop is bracketed by sdt_might_sleep_start/end',
      diff: fileDiff(DRV, { ...newLoop, body: newLoop.body.replace('+\tfor (;;) {', '+\tsdt_might_sleep_start(NULL);\n+\tfor (;;) {').replace('+\t__set_current_state(TASK_RUNNING);', '+\tsdt_might_sleep_end();\n+\t__set_current_state(TASK_RUNNING);') }),
    },
    {
      name: 'DEPT v18 14/42 annotates dma_fence_default_wait() itself',
      diff: fileDiff('drivers/dma-buf/dma-fence.c', {
        start: 799,
        section: 'dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout)',
        body: ` 	cb.task = current;
 	list_add(&cb.base.node, &fence->cb_list);
 
+	sdt_might_sleep_start(NULL);
 	while (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags) && ret > 0) {
 		if (intr)
 			__set_current_state(TASK_INTERRUPTIBLE);
`,
      }),
    },
    { name: 'the open-coded loop is deleted', diff: fileDiff(DRV, { ...newLoop, body: newLoop.body.replace(/^\+/gm, '-') }) },
    {
      name: 'an existing loop in unseen context, the patch only touches the condition',
      diff: fileDiff(DRV, {
        start: 500,
        section: 'static int foo_poll_wait(struct foo_dev *fdev)',
        body: ` 	for (;;) {
-		set_current_state(TASK_INTERRUPTIBLE);
+		set_current_state(TASK_UNINTERRUPTIBLE);
 		if (fdev->ready)
 			break;
 		schedule();
 	}
 	sdt_might_sleep_end();
`,
      }),
    },
    { name: 'only TASK_RUNNING is set', diff: fileDiff(DRV, { start: 10, body: `+static void foo_reset_state(void)\n+{\n+\t__set_current_state(TASK_RUNNING);\n+\tschedule();\n+}\n` }) },
  ],
  invalid: [
    { name: 'new helper with an open-coded sleep loop', diff: fileDiff(DRV, newLoop), errors: [{ file: DRV, line: lineIn(newLoop, 'set_current_state(TASK_UNINTERRUPTIBLE)'), messageId: 'unannotated' }] },
    { name: 'loop added inside an existing function', diff: fileDiff(DRV, addedInExisting), errors: [{ file: DRV, line: lineIn(addedInExisting, 'set_current_state(TASK_INTERRUPTIBLE)'), messageId: 'unannotated' }] },
    {
      name: 'the loop next to a function that sleeps without setting the task state (not read)',
      diff: fileDiff(DRV, newLoop, { start: 200, body: '+static void foo_yield(struct foo_ring *ring)\n+{\n+\tif (foo_ring_busy(ring))\n+\t\tschedule();\n+}\n' }),
      errors: [{ file: DRV, line: lineIn(newLoop, 'set_current_state(TASK_UNINTERRUPTIBLE)'), messageId: 'unannotated' }],
    },
    { name: 'killable io_schedule() loop', diff: fileDiff(DRV, ioSleep), errors: [{ file: DRV, line: lineIn(ioSleep, 'TASK_KILLABLE'), messageId: 'unannotated' }] },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
