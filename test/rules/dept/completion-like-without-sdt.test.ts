import rule from '../../../rules/dept/completion-like-without-sdt.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';
import { plus } from '../revoke/exporter-snippets.ts';

const H = 'drivers/gpu/drm/foo/foo_sync.h';
const C = 'drivers/gpu/drm/foo/foo_sync.c';

const header: HunkSpec = {
  start: 12,
  body: plus(`struct foo_sync {
	wait_queue_head_t wq;
	bool done;
};`),
};

const waitEventHelper: HunkSpec = {
  start: 30,
  body: plus(`void foo_sync_wait(struct foo_sync *s)
{
	wait_event(s->wq, READ_ONCE(s->done));
}

void foo_sync_signal(struct foo_sync *s)
{
	WRITE_ONCE(s->done, true);
	wake_up_all(&s->wq);
}`),
};

const openCoded: HunkSpec = {
  start: 30,
  body: plus(`int foo_sync_wait_killable(struct foo_sync *s)
{
	DEFINE_WAIT(wait);
	int ret = 0;

	for (;;) {
		prepare_to_wait(&s->wq, &wait, TASK_KILLABLE);
		if (READ_ONCE(s->done))
			break;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(&s->wq, &wait);
	return ret;
}`),
};

/** Both in one file: struct and helper. */
const oneFile: HunkSpec = { start: 12, body: `${header.body}\n+\n${waitEventHelper.body}` };

const cases: RuleCases = {
  valid: [
    {
      name: 'the series annotates the primitive with sdt hooks',
      diff: [fileDiff(H, header), fileDiff(C, { ...waitEventHelper, body: waitEventHelper.body.replace('+\twait_event(s->wq, READ_ONCE(s->done));', '+\tsdt_might_sleep_start(&s->dmap);\n+\twait_event(s->wq, READ_ONCE(s->done));\n+\tsdt_might_sleep_end();') })],
    },
    {
      name: 'a large device struct that happens to hold a waitqueue and a ready flag',
      diff: [fileDiff(H, { start: 12, body: plus(`struct foo_sync {\n\tstruct device *dev;\n\tvoid __iomem *regs;\n\tstruct mutex lock;\n\tstruct list_head jobs;\n\tint irq;\n\twait_queue_head_t wq;\n\tbool done;\n};`) }), fileDiff(C, waitEventHelper)],
    },
    {
      // The hook is read from the series text, not from the functions the rule reads.
      name: 'an sdt hook in a function that mentions no wait, in a later patch',
      diff: [fileDiff(H, header), fileDiff(C, waitEventHelper), fileDiff(C, { start: 60, body: plus('void foo_sync_init(struct foo_sync *s)\n{\n\tsdt_map_init(&s->dmap);\n}') })],
    },
    { name: 'the struct already exists (not added by the series)', diff: fileDiff(C, waitEventHelper) },
    { name: 'the primitive is deleted', diff: fileDiff(C, { ...oneFile, body: oneFile.body.replace(/^\+/gm, '-') }) },
    { name: 'the DEPT implementation itself (kernel/dependency)', diff: fileDiff('kernel/dependency/dept_test.c', oneFile) },
    {
      name: 'a one-off wait on a local object with a timeout (kunit test shape)',
      diff: fileDiff('drivers/gpu/drm/tests/foo_test.c', {
        start: 1,
        body: plus(`struct foo_test_priv {
	bool action_done;
	wait_queue_head_t action_wq;
};

static void foo_test_run(struct kunit *test)
{
	struct foo_test_priv *priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	int ret;

	init_waitqueue_head(&priv->action_wq);
	foo_trigger(priv);
	ret = wait_event_interruptible_timeout(priv->action_wq, priv->action_done, msecs_to_jiffies(100));
	KUNIT_EXPECT_GT(test, ret, 0);
}`),
      }),
    },
    {
      name: 'a waitqueue of another struct with the same member name',
      diff: [fileDiff(H, header), fileDiff(C, { ...waitEventHelper, body: waitEventHelper.body.replace(/struct foo_sync \*s/g, 'struct foo_ring *s') })],
    },
  ],
  invalid: [
    {
      name: 'struct in a header, wait_event() helper in the .c file',
      diff: [fileDiff(H, header), fileDiff(C, waitEventHelper)],
      errors: [{ file: C, line: lineIn(waitEventHelper, 'wait_event('), messageId: 'sharedClass', patch: 2 }],
    },
    {
      name: 'open-coded prepare_to_wait()/schedule() helper',
      diff: [fileDiff(H, header), fileDiff(C, openCoded)],
      errors: [{ file: C, line: lineIn(openCoded, 'prepare_to_wait('), messageId: 'unseen', patch: 2 }],
    },
    {
      name: 'struct and helper in one file, one patch',
      diff: fileDiff(C, oneFile),
      errors: [{ file: C, line: lineIn(oneFile, 'wait_event('), messageId: 'sharedClass' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
