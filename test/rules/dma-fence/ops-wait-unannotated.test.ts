import rule from '../../../rules/dma-fence/ops-wait-unannotated.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';
import { plus } from '../revoke/exporter-snippets.ts';

const F = 'drivers/gpu/drm/foo/foo_fence.c';

const fence = (body: string, init = '.wait = foo_fence_wait,'): HunkSpec => ({
  start: 140,
  body: plus(`static signed long foo_fence_wait(struct dma_fence *f, bool intr, signed long timeout)
{
	struct foo_fence *ff = to_foo_fence(f);

${body}
}

static const struct dma_fence_ops foo_fence_ops = {
	.get_driver_name = foo_fence_get_driver_name,
	.get_timeline_name = foo_fence_get_timeline_name,
	${init}
	.release = foo_fence_release,
};`),
});

const polling = fence(`	while (!foo_seqno_passed(ff) && timeout > 0) {
		msleep(1);
		timeout -= msecs_to_jiffies(1);
	}
	return timeout;`);

const waitqueue = fence(`	return wait_event_interruptible_timeout(ff->ring->irq_queue,
						foo_seqno_passed(ff), timeout);`);

const openLoop = fence(`	for (;;) {
		set_current_state(intr ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE);
		if (foo_seqno_passed(ff) || !timeout)
			break;
		timeout = schedule_timeout(timeout);
	}
	__set_current_state(TASK_RUNNING);
	return timeout;`);

/** The initializer is added to an existing ops struct; the callback is new in another file. */
const initOnly: HunkSpec = {
  start: 300,
  body: ` static const struct dma_fence_ops bar_fence_ops = {
 	.get_driver_name = bar_fence_get_driver_name,
+	.wait = bar_fence_wait,
 	.release = bar_fence_release,
 };
`,
};
const barBody: HunkSpec = {
  start: 40,
  body: plus(`signed long bar_fence_wait(struct dma_fence *f, bool intr, signed long timeout)
{
	wait_for_completion(&to_bar_fence(f)->hw_done);
	return timeout;
}`),
};

/** A `.wait` member of a non-fence ops struct whose callback has another signature. */
const engineOps: HunkSpec = {
  start: 140,
  body: fence('\tmsleep(1);\n\treturn 0;')
    .body.replace('dma_fence_ops', 'foo_engine_ops')
    .replace('struct dma_fence *f, bool intr, signed long timeout', 'struct foo_engine *e')
    .replace('to_foo_fence(f)', 'e->fence'),
};

/** msm shape: a thin .wait wrapper around the driver's own wait helper, both visible. */
const wrapper: HunkSpec = {
  start: 60,
  body: plus(`static signed long baz_wait_seqno(struct baz_ctx *ctx, u32 seqno, signed long t, bool intr)
{
	if (intr)
		return wait_event_interruptible_timeout(ctx->event, baz_passed(ctx, seqno), t);
	return wait_event_timeout(ctx->event, baz_passed(ctx, seqno), t);
}

static signed long baz_fence_wait(struct dma_fence *fence, bool intr, signed long timeout)
{
	return baz_wait_seqno(to_baz_fence(fence)->ctx, fence->seqno, timeout, intr);
}

static const struct dma_fence_ops baz_fence_ops = {
	.wait = baz_fence_wait,
};`),
};

testRule(rule, {
  valid: [
    { name: 'the wrapped helper delegates to dma_fence_default_wait()', diff: fileDiff(F, { ...wrapper, body: wrapper.body.replace(/wait_event(?:_interruptible)?_timeout\(ctx->event, baz_passed\(ctx, seqno\), t\)/g, 'dma_fence_default_wait(ctx->fence, intr, t)') }) },
    { name: 'the callback delegates to dma_fence_default_wait()', diff: fileDiff(F, fence('\tfoo_kick(ff);\n\treturn dma_fence_default_wait(f, intr, timeout);')) },
    {
      name: 'the sleep is bracketed by sdt_might_sleep_start/end',
      diff: fileDiff(F, fence('\tsdt_might_sleep_start(NULL);\n\twhile (!foo_seqno_passed(ff) && timeout > 0)\n\t\ttimeout = schedule_timeout(timeout);\n\tsdt_might_sleep_end();\n\treturn timeout;')),
    },
    { name: 'the callback does not sleep (it only polls once)', diff: fileDiff(F, fence('\treturn foo_seqno_passed(ff) ? timeout : 0;')) },
    { name: 'the whole ops struct and callback are deleted', diff: fileDiff(F, { ...polling, body: polling.body.replace(/^\+/gm, '-') }) },
    { name: '.wait of another ops struct (not a fence, no fence signature)', diff: fileDiff(F, engineOps) },
    { name: 'callback body not visible', diff: fileDiff(F, initOnly) },
    {
      // Why the rule declares no `reads`: the latest version of a helper decides even when it names
      // no sleep, dma_fence or DEPT word; without it, the sleeping older version would be reported.
      name: 'the wrapped helper stops sleeping in a later patch: its latest version decides',
      diff: [
        fileDiff(F, wrapper),
        fileDiff(F, {
          start: 60,
          body: ` static signed long baz_wait_seqno(struct baz_ctx *ctx, u32 seqno, signed long t, bool intr)
 {
-	if (intr)
-		return wait_event_interruptible_timeout(ctx->event, baz_passed(ctx, seqno), t);
-	return wait_event_timeout(ctx->event, baz_passed(ctx, seqno), t);
+	return baz_passed(ctx, seqno) ? t : 0;
 }
`,
        }),
      ],
    },
    { name: '.wait = dma_fence_default_wait', diff: fileDiff(F, { ...initOnly, body: initOnly.body.replace('bar_fence_wait', 'dma_fence_default_wait') }) },
  ],
  invalid: [
    { name: 'thin wrapper around the driver wait helper (msm shape)', diff: fileDiff(F, wrapper), errors: [{ file: F, line: lineIn(wrapper, '.wait ='), messageId: 'unannotated' }] },
    { name: 'msleep() polling loop in a new .wait', diff: fileDiff(F, polling), errors: [{ file: F, line: lineIn(polling, '.wait ='), messageId: 'unannotated' }] },
    { name: 'own waitqueue in a new .wait', diff: fileDiff(F, waitqueue), errors: [{ file: F, line: lineIn(waitqueue, '.wait ='), messageId: 'unannotated' }] },
    { name: 'open-coded schedule_timeout() loop', diff: fileDiff(F, openLoop), errors: [{ file: F, line: lineIn(openLoop, '.wait ='), messageId: 'unannotated' }] },
    {
      name: 'initializer in patch 2, callback body in patch 1 (another file)',
      diff: [fileDiff('drivers/gpu/drm/bar/bar_fence_wait.c', barBody), fileDiff('drivers/gpu/drm/bar/bar_fence.c', initOnly)],
      errors: [{ file: 'drivers/gpu/drm/bar/bar_fence.c', line: lineIn(initOnly, '.wait ='), messageId: 'unannotated', patch: 2 }],
    },
  ],
});
