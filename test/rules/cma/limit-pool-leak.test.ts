import rule from '../../../rules/cma/limit-pool-leak.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from './hunk-lines.ts';

const FILE = 'drivers/gpu/drm/foo/foo_bo.c';

const charge = (after: string): HunkSpec => ({
  start: 200,
  body: `+static int foo_bo_charge(struct foo_bo *bo, u64 size)
+{
+	struct dmem_cgroup_pool_state *limit_pool = NULL;
+	int ret;
+
+	ret = dmem_cgroup_try_charge(bo->region, size, &bo->pool, &limit_pool);
${after}+	return 0;
+}
`,
});

const plainReturn = charge(`+	if (ret)
+		return ret;
`);
const gotoOut = charge(`+	if (ret)
+		goto out;
+	bo->charged = true;
+out:
+	return ret;
`);
const eagainOnly = charge(`+	if (ret == -EAGAIN)
+		pr_debug("foo: over the dmem limit\\n");
+	if (ret)
+		return ret;
`);

/** Same shape without a charge (the rule does not read it): an error return with a local pool pointer. */
const lookalike: HunkSpec = {
  start: 400,
  body: `+static int foo_bo_lookup(struct foo_bo *bo)
+{
+	struct dmem_cgroup_pool_state *limit_pool = NULL;
+	int ret;
+
+	ret = foo_find_pool(bo, &limit_pool);
+	if (ret)
+		return ret;
+	return 0;
+}
`,
};

const cases: RuleCases = {
  valid: [
    { name: 'no limit pool asked for', diff: fileDiff(FILE, { ...plainReturn, body: plainReturn.body.replace('&limit_pool', 'NULL') }) },
    {
      name: 'the limit pool is put before returning',
      diff: fileDiff(FILE, charge(`+	if (ret) {
+		dmem_cgroup_pool_state_put(limit_pool);
+		return ret;
+	}
`)),
    },
    {
      name: 'the limit pool pointer belongs to the caller',
      diff: fileDiff(FILE, {
        start: 10,
        section: 'int foo_try_charge(struct foo_bo *bo, struct dmem_cgroup_pool_state **ret_limit)',
        body: ` 	int ret;
 
+	ret = dmem_cgroup_try_charge(bo->region, bo->size, &bo->pool, ret_limit);
+	if (ret)
+		return ret;
 	return 0;
`,
      }),
    },
    { name: 'the leaking return is a deleted line', diff: fileDiff(FILE, { start: 30, section: 'static int foo(struct foo_bo *bo)', body: ` 	struct dmem_cgroup_pool_state *limit = NULL;
 	ret = dmem_cgroup_try_charge(bo->region, bo->size, &bo->pool, &limit);
 	if (ret)
-		return ret;
+		goto put_limit;
` }) },
  ],
  invalid: [
    { name: 'returns the -EAGAIN with the reference held', diff: fileDiff(FILE, plainReturn), errors: [{ file: FILE, line: lineIn(plainReturn, 'return ret'), messageId: 'leak' }] },
    {
      name: 'returns the -EAGAIN with the reference held, next to a look-alike without a charge',
      diff: fileDiff(FILE, plainReturn, lookalike),
      errors: [{ file: FILE, line: lineIn(plainReturn, 'return ret'), messageId: 'leak' }],
    },
    { name: 'jumps to a label that does not put it', diff: fileDiff(FILE, gotoOut), errors: [{ file: FILE, line: lineIn(gotoOut, 'goto out'), messageId: 'leak' }] },
    { name: 'the generic error path after an -EAGAIN branch', diff: fileDiff(FILE, eagainOnly), errors: [{ file: FILE, line: lineIn(eagainOnly, 'return ret'), messageId: 'leak' }] },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
