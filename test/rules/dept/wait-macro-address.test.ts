import rule from '../../../rules/dept/wait-macro-address.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';

const DRV = 'drivers/gpu/drm/foo/foo_fence.c';

const opsInit: HunkSpec = {
  start: 80,
  body: ` static const struct dma_fence_ops foo_fence_ops = {
 	.get_driver_name = foo_fence_get_driver_name,
 	.get_timeline_name = foo_fence_get_timeline_name,
+	.wait = dma_fence_default_wait,
 	.release = foo_fence_release,
 };
`,
};

const fnPointer: HunkSpec = {
  start: 20,
  body: `+typedef unsigned long (*foo_wait_fn)(struct completion *, unsigned long);
+
+static foo_wait_fn foo_waiter = wait_for_completion_timeout;
`,
};

const addressOf: HunkSpec = {
  start: 150,
  section: 'static int foo_sync(struct foo_dev *fdev)',
  body: ` 	int ret;
 
+	ret = foo_run_with_retry(fdev, &wait_for_completion_interruptible, &fdev->done);
 	return ret;
`,
};

testRule(rule, {
  valid: [
    {
      name: 'calls, comments and strings that name the macros',
      diff: fileDiff(DRV, {
        start: 40,
        section: 'static int foo_sync(struct foo_dev *fdev)',
        body: ` 	int ret;
 
+	/* wait_for_completion_timeout returns the jiffies left */
+	ret = wait_for_completion_timeout(&fdev->done, HZ);
+	pr_debug("dma_fence_wait failed\\n");
+	ret = dma_fence_wait
+		(fdev->fence, true);
 	return ret;
`,
      }),
    },
    {
      name: 'DEPT v18 31/42 defines the macros in include/linux/completion.h',
      diff: fileDiff('include/linux/completion.h', {
        start: 134,
        body: ` extern void complete_all(struct completion *);
 
+#define wait_for_completion(x)						\\
+({									\\
+	sdt_might_sleep_start_timeout(NULL, -1L);			\\
+	__wait_for_completion(x);					\\
+	sdt_might_sleep_end();						\\
+})
`,
      }),
    },
    { name: 'the function pointer is a deleted line', diff: fileDiff(DRV, { ...opsInit, body: opsInit.body.replace('+\t.wait', '-\t.wait') }) },
    {
      name: 'member and longer names that contain the macro name',
      diff: fileDiff(DRV, {
        start: 60,
        body: `+static const struct foo_ops foo_ops = {
+	.wait_for_completion = foo_wait_for_completion,
+	.fence_wait = __dma_fence_wait_timeout,
+};
+EXPORT_SYMBOL(foo_wait_for_completion);
`,
      }),
    },
  ],
  invalid: [
    { name: 'dma_fence_ops.wait = dma_fence_default_wait', diff: fileDiff(DRV, opsInit), errors: [{ file: DRV, line: lineIn(opsInit, '.wait = '), messageId: 'address' }] },
    { name: 'a function pointer initialised with the macro', diff: fileDiff(DRV, fnPointer), errors: [{ file: DRV, line: lineIn(fnPointer, 'foo_waiter'), messageId: 'address' }] },
    { name: '&wait_for_completion_interruptible passed as a callback', diff: fileDiff(DRV, addressOf), errors: [{ file: DRV, line: lineIn(addressOf, '&wait_for_completion_interruptible'), messageId: 'address' }] },
  ],
});
