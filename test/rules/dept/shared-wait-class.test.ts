import rule from '../../../rules/dept/shared-wait-class.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';

const DRV = 'drivers/gpu/drm/foo/foo_sync.c';

const exported: HunkSpec = {
  start: 30,
  body: `+int foo_wait_done(struct completion *done, unsigned long timeout)
+{
+	if (!wait_for_completion_timeout(done, timeout))
+		return -ETIMEDOUT;
+	return 0;
+}
+EXPORT_SYMBOL_GPL(foo_wait_done);
`,
};

const manyCallers: HunkSpec = {
  start: 100,
  body: `+static long foo_fence_wait(struct dma_fence *fence)
+{
+	return dma_fence_wait(fence, true);
+}
+
+static int foo_unbind(struct foo_vm *vm)
+{
+	return foo_fence_wait(vm->last_update);
+}
+
+static int foo_evict(struct foo_bo *bo)
+{
+	return foo_fence_wait(bo->moving);
+}
`,
};

const stackMap: HunkSpec = {
  start: 200,
  section: 'static int foo_start(struct foo_dev *fdev)',
  body: ` 	int ret;
+	struct dept_map map;
 
+	sdt_map_init(&map);
+	init_completion_dmap(&fdev->done, &map);
 	ret = foo_kick(fdev);
`,
};

const fieldUninit = (init: string): string[] => [
  fileDiff('drivers/gpu/drm/foo/foo_drv.h', {
    start: 40,
    body: ` struct foo_dev {
 	struct completion done;
+	struct dept_map done_map;
 };
`,
  }),
  fileDiff(DRV, {
    start: 300,
    section: 'int foo_init(struct foo_dev *fdev)',
    body: ` 	int ret;
 
${init}+	init_completion_dmap(&fdev->done, &fdev->done_map);
 	return 0;
`,
  }),
];

const cases: RuleCases = {
  valid: [
    {
      name: 'DEPT v18 38/42: map beside the completion, initialised with a static key',
      diff: fileDiff('kernel/rcu/update.c', {
        start: 426,
        section: 'void __wait_rcu_gp(bool checktiny, unsigned int state, int n, call_rcu_func_t *crcu_array,',
        body: ` 		if (j == i) {
 			init_rcu_head_on_stack(&rs_array[i].head);
-			init_completion(&rs_array[i].completion);
+			sdt_map_init_key(&rs_array[i].dmap, dkey);
+			init_completion_dmap(&rs_array[i].completion, &rs_array[i].dmap);
 			(crcu_array[i])(&rs_array[i].head, wakeme_after_rcu);
`,
      }),
    },
    { name: 'the field map is initialised in the series', diff: fieldUninit('+\tsdt_map_init(&fdev->done_map);\n') },
    {
      name: 'a static helper with one caller, waiting on its own object',
      diff: fileDiff(DRV, { start: 10, body: `+static void foo_wait_idle(struct foo_dev *fdev)\n+{\n+\twait_for_completion(&fdev->idle);\n+}\n` }),
    },
    {
      name: 'DEPT v18 31/42 in include/linux/completion.h and the rust helper',
      diff: [
        fileDiff('include/linux/completion.h', { start: 137, body: `+static inline void wait_for_completion_helper(struct completion *x)\n+{\n+\twait_for_completion(x);\n+}\n` }),
        fileDiff('rust/helpers/completion.c', { start: 6, body: ` {\n \tinit_completion(x);\n }\n+\n+void rust_helper_wait_for_completion(struct completion *x)\n+{\n+\twait_for_completion(x);\n+}\n` }),
      ],
    },
  ],
  invalid: [
    { name: 'exported helper waiting on the caller\'s completion', diff: fileDiff(DRV, exported), errors: [{ file: DRV, line: lineIn(exported, 'wait_for_completion_timeout'), messageId: 'sharedHelper' }] },
    { name: 'static helper used by two call sites', diff: fileDiff(DRV, manyCallers), errors: [{ file: DRV, line: lineIn(manyCallers, 'dma_fence_wait'), messageId: 'sharedHelper' }] },
    {
      // The callers are read from the series text: functions without a wait word need not be read.
      name: 'static helper whose two callers, in a later patch, mention no wait',
      diff: [
        fileDiff(DRV, { start: 100, body: '+static long foo_fence_wait(struct dma_fence *fence)\n+{\n+\treturn dma_fence_wait(fence, true);\n+}\n' }),
        fileDiff(DRV, { start: 110, body: '+static int foo_unbind(struct foo_vm *vm)\n+{\n+\treturn foo_fence_wait(vm->last_update);\n+}\n+static int foo_evict(struct foo_bo *bo)\n+{\n+\treturn foo_fence_wait(bo->moving);\n+}\n' }),
      ],
      errors: [{ file: DRV, line: 102, messageId: 'sharedHelper', patch: 1 }],
    },
    { name: 'map on the stack attached to a long-lived completion', diff: fileDiff(DRV, stackMap), errors: [{ file: DRV, line: lineIn(stackMap, 'init_completion_dmap'), messageId: 'mapOnStack' }] },
    { name: 'new dept_map member never initialised', diff: fieldUninit(''), errors: [{ file: DRV, line: 302, messageId: 'mapUninitialised', patch: 2 }] },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
