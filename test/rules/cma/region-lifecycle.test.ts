import rule from '../../../rules/cma/region-lifecycle.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from './hunk-lines.ts';

const CMA = 'mm/cma.c';

/** dmem RFC 1/12 (and cma-dmem v2 1/3): the error path unregisters but cma keeps the pointer. */
const activate: HunkSpec = {
  start: 93,
  body: ` static void __init cma_activate_area(struct cma *cma)
 {
+	struct dmem_cgroup_region *region;
 	unsigned long base_pfn = cma->base_pfn, pfn;
 
+	region = dmem_cgroup_register_region(cma_get_size(cma), "cma/%s", cma->name);
+	if (IS_ERR(region))
+		goto out_error;
+
+	cma->dmem_cgrp_region = region;
+
 	cma->bitmap = bitmap_zalloc(cma_bitmap_maxno(cma), GFP_KERNEL);
 	if (!cma->bitmap)
-		goto out_error;
+		goto unreg_dmem;
 
 	return;
 
+unreg_dmem:
+	dmem_cgroup_unregister_region(region);
 out_error:
 	cma->count = 0;
 }
`,
};

const nullIsError: HunkSpec = {
  start: 338,
  section: 'static int rmem_dma_device_init(struct reserved_mem *rmem, struct device *dev)',
  body: ` 		if (IS_ERR(mem))
 			return PTR_ERR(mem);
+
+		region = dmem_cgroup_register_region(rmem->size, "dma/coherent/%s", rmem->name);
+		if (IS_ERR_OR_NULL(region))
+			return PTR_ERR(region);
+
+		mem->dmem_cgroup_region = region;
 		rmem->priv = mem;
`,
};

const notNullCheck: HunkSpec = {
  start: 600,
  body: `+static int __init foo_init_dmem(struct foo_dev *fdev)
+{
+	struct dmem_cgroup_region *region;
+
+	region = dmem_cgroup_register_region(fdev->vram_size, "foo/%s", fdev->name);
+	if (!region)
+		return -ENOMEM;
+	fdev->region = region;
+	return 0;
+}
`,
};

const errUnchecked: HunkSpec = {
  start: 700,
  body: `+static void foo_setup_region(struct foo_dev *fdev)
+{
+	fdev->region = dmem_cgroup_register_region(fdev->vram_size, "foo/vram");
+	fdev->accounting = true;
+}
`,
};

/** A function that neither registers nor unregisters (the rule does not read it), with a NULL test and a store. */
const lookalike: HunkSpec = {
  start: 900,
  body: `+static int foo_find_region(struct foo *f)
+{
+	struct foo_region *region = foo_lookup(f);
+
+	if (!region)
+		return -ENOMEM;
+	f->region = region;
+	foo_put_region(f->region);
+	return 0;
+}
`,
};

const cases: RuleCases = {
  valid: [
    {
      name: 'the pointer is cleared when the region goes away',
      diff: fileDiff(CMA, { ...activate, body: activate.body.replace('+\tdmem_cgroup_unregister_region(region);', '+\tdmem_cgroup_unregister_region(region);\n+\tcma->dmem_cgrp_region = NULL;') }),
    },
    {
      name: 'cma-dmem v1: the owner of the stored pointer is freed with it',
      diff: fileDiff('drivers/dma-buf/heaps/cma_heap.c', {
        start: 404,
        body: ` static int __init __add_cma_heap(struct cma *cma, const char *name)
 {
 	struct cma_heap *cma_heap;
+	struct dmem_cgroup_region *region;
+	int ret;
 
 	cma_heap = kzalloc(sizeof(*cma_heap), GFP_KERNEL);
 	if (!cma_heap)
 		return -ENOMEM;
+	region = dmem_cgroup_register_region(cma_get_size(cma), "cma/%s", name);
+	if (IS_ERR(region)) {
+		ret = PTR_ERR(region);
+		goto free_cma_heap;
+	}
+	cma_heap->cg = region;
 	cma_heap->heap = dma_heap_add(&exp_info);
 	if (IS_ERR(cma_heap->heap)) {
+		ret = PTR_ERR(cma_heap->heap);
+		goto cg_unregister;
 	}
+	if (dev_get_cma_area(NULL) == cma && !default_cma_cg)
+		default_cma_cg = region;
 	return 0;
+
+cg_unregister:
+	if (default_cma_cg != cma_heap->cg)
+		dmem_cgroup_unregister_region(cma_heap->cg);
+free_cma_heap:
+	kfree(cma_heap);
+	return ret;
 }
`,
      }),
    },
    {
      name: 'dma: default region checks IS_ERR only and stores it',
      diff: fileDiff('kernel/dma/mapping.c', {
        start: 597,
        body: `+static int __init dma_init_dmem_cgroup(void)
+{
+	struct dmem_cgroup_region *region;
+
+	if (default_dmem_cgroup_region)
+		return -EBUSY;
+
+	region = dmem_cgroup_register_region(U64_MAX, "dma/global");
+	if (IS_ERR(region))
+		return PTR_ERR(region);
+
+	default_dmem_cgroup_region = region;
+	return 0;
+}
`,
      }),
    },
    { name: 'the NULL test is a deleted line', diff: fileDiff('drivers/gpu/foo/foo_drv.c', { ...notNullCheck, body: notNullCheck.body.replace('+\tif (!region)\n+\t\treturn -ENOMEM;', '+\tif (IS_ERR(region))\n+\t\treturn PTR_ERR(region);') }) },
  ],
  invalid: [
    { name: 'dmem RFC 1/12: unregister leaves cma->dmem_cgrp_region set', diff: fileDiff(CMA, activate), errors: [{ file: CMA, line: lineIn(activate, 'dmem_cgroup_unregister_region'), messageId: 'staleAfterUnregister' }] },
    { name: 'IS_ERR_OR_NULL treats a configured-out cgroup as failure', diff: fileDiff('kernel/dma/coherent.c', nullIsError), errors: [{ file: 'kernel/dma/coherent.c', line: lineIn(nullIsError, 'return PTR_ERR(region)'), messageId: 'nullAsError' }] },
    {
      name: 'a NULL check instead of IS_ERR, next to a look-alike function without the register calls',
      diff: fileDiff('drivers/gpu/foo/foo_drv.c', notNullCheck, lookalike),
      errors: [{ file: 'drivers/gpu/foo/foo_drv.c', line: lineIn(notNullCheck, 'return -ENOMEM'), messageId: 'nullAsError' }],
    },
    { name: 'a NULL check instead of IS_ERR', diff: fileDiff('drivers/gpu/foo/foo_drv.c', notNullCheck), errors: [{ file: 'drivers/gpu/foo/foo_drv.c', line: lineIn(notNullCheck, 'return -ENOMEM'), messageId: 'nullAsError' }] },
    { name: 'the result is stored without any IS_ERR check', diff: fileDiff('drivers/gpu/foo/foo_drv.c', errUnchecked), errors: [{ file: 'drivers/gpu/foo/foo_drv.c', line: lineIn(errUnchecked, 'dmem_cgroup_register_region'), messageId: 'errAsSuccess' }] },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
