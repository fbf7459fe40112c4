import { describe, expect, it } from 'vitest';
import rule from '../../../rules/dept/timeout-hides-deadlock.ts';
import { classifyCallee } from '../../../rules/engine/facts/classify.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';

const DRV = 'drivers/gpu/drm/foo/foo_drv.c';

const completion: HunkSpec = {
  start: 210,
  section: 'static int foo_suspend(struct foo_dev *fdev)',
  body: ` 	foo_request_idle(fdev);
-	wait_for_completion(&fdev->idle);
+	if (!wait_for_completion_timeout(&fdev->idle, msecs_to_jiffies(500)))
+		return -ETIMEDOUT;
 	return 0;
`,
};

const fence: HunkSpec = {
  start: 90,
  section: 'static void foo_unbind(struct foo_vm *vm)',
  body: ` 	struct dma_fence *f = vm->last_update;
 
-	dma_fence_wait(f, false);
+	dma_fence_wait_timeout(f, false, 5 * HZ);
 	dma_fence_put(f);
`,
};

const resv: HunkSpec = {
  start: 330,
  section: 'static int foo_bo_move(struct foo_bo *bo)',
  body: ` 	long lret;
 
-	lret = dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
+	lret = dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, false, FOO_MOVE_TIMEOUT);
 	if (lret <= 0)
`,
};

/** Earlier hunks of foo_suspend: the first deletes a line (its pre-image is a part of its own), the second only adds. */
const quiesce: HunkSpec = { start: 150, section: 'static int foo_suspend(struct foo_dev *fdev)', body: ` 	foo_lock(fdev);
-	foo_old_quiesce(fdev);
+	foo_quiesce(fdev);
 	foo_unlock(fdev);
` };
const trace: HunkSpec = { start: 180, section: 'static int foo_suspend(struct foo_dev *fdev)', body: ` 	foo_save(fdev);
+	foo_trace(fdev);
 	foo_park(fdev);
` };

const cases: RuleCases = {
  valid: [
    // The pre-image is split in two parts (the middle hunk has no pre-image); the rule compares with
    // the first, which mentions no wait at all, so it finds nothing replaced.
    { name: 'the first pre-image part of the function has no wait', diff: fileDiff(DRV, quiesce, trace, completion), commitMessage: 'drm/foo: avoid a hang on suspend' },
    { name: 'an unbounded wait stays unbounded (renamed target)', diff: fileDiff(DRV, { ...completion, body: completion.body.replace('wait_for_completion_timeout(&fdev->idle, msecs_to_jiffies(500))', 'wait_for_completion_killable(&fdev->idle)') }) },
    { name: 'a new timed wait that replaces nothing', diff: fileDiff(DRV, { start: 50, section: 'static int foo_probe(struct foo_dev *fdev)', body: ` 	foo_start(fdev);\n+\twait_for_completion_timeout(&fdev->ready, HZ);\n \treturn 0;\n` }) },
    { name: 'the timeout is replaced on another completion', diff: fileDiff(DRV, { ...completion, body: completion.body.replace('&fdev->idle, msecs', '&fdev->reset_done, msecs') }) },
    {
      name: 'DEPT v18 20/42 inside dma-fence.c',
      diff: fileDiff('drivers/dma-buf/dma-fence.c', {
        start: 799,
        section: 'dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout)',
        body: ` 	list_add(&cb.base.node, &fence->cb_list);
 
-	sdt_might_sleep_start(NULL);
+	sdt_might_sleep_start_timeout(NULL, timeout);
 	while (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags) && ret > 0) {
`,
      }),
    },
  ],
  invalid: [
    {
      name: 'the pre-image, which mentions none of the timed waits, is found by name',
      diff: fileDiff(DRV, trace, completion),
      commitMessage: 'drm/foo: bound the suspend wait',
      errors: [{ file: DRV, line: lineIn(completion, 'wait_for_completion_timeout'), messageId: 'hidesWait' }],
    },
    {
      name: 'completion wait bounded to fix a hang',
      diff: fileDiff(DRV, completion),
      commitMessage: 'drm/foo: avoid a hang on suspend\n\nThe idle completion is sometimes never signalled and suspend hangs.',
      errors: [{ file: DRV, line: lineIn(completion, 'wait_for_completion_timeout'), messageId: 'hidesDeadlock' }],
    },
    { name: 'fence wait bounded without a reason given', diff: fileDiff(DRV, fence), commitMessage: 'drm/foo: bound the unbind wait', errors: [{ file: DRV, line: lineIn(fence, 'dma_fence_wait_timeout'), messageId: 'hidesWait' }] },
    {
      name: 'resv wait with MAX_SCHEDULE_TIMEOUT turned into a constant after a deadlock report',
      diff: fileDiff(DRV, resv),
      commitMessage: 'drm/foo: fix deadlock in move\n\nlockdep and users report a deadlock here.',
      errors: [{ file: DRV, line: lineIn(resv, 'FOO_MOVE_TIMEOUT'), messageId: 'hidesDeadlock' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);

describe('dept/timeout-hides-deadlock reads every wait that can be finite', () => {
  it('covers each wait of the facts\' classify table with a timeout argument and a wait family', () => {
    const reads = rule.meta.reads ?? [];
    for (const n of ['wait_for_completion_timeout', 'wait_event_lock_irq_timeout', 'wait_var_event_timeout', 'dma_fence_wait_timeout', 'dma_resv_wait_timeout', 'wait_on_bit_timeout']) {
      expect(classifyCallee(n)).toMatchObject({ kind: 'wait' });
      expect(reads).toContain(n);
    }
    // No family, or no timeout argument: nothing this rule reports on.
    for (const n of ['schedule_timeout', 'dma_fence_wait_any_timeout', 'wait_for_completion', 'msleep']) expect(reads).not.toContain(n);
  });
});
