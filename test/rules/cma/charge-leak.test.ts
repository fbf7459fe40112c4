import rule from '../../../rules/cma/charge-leak.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from './hunk-lines.ts';

const HEAP = 'drivers/dma-buf/heaps/foo_heap.c';

/** The catalog's bad shape: cma_alloc() failure still jumps to free_buffer, past the uncharge. */
const skipsUncharge: HunkSpec = {
  start: 100,
  body: ` static struct foo_buf *foo_alloc(struct foo_heap *heap, size_t size)
 {
 	struct foo_buf *b;
 	struct page *pages;
 	int ret;
 
 	b = kzalloc(sizeof(*b), GFP_KERNEL);
 	if (!b)
 		return ERR_PTR(-ENOMEM);
 
+	ret = dmem_cgroup_try_charge(heap->region, size, &b->pool, NULL);
+	if (ret)
+		goto free_buffer;
+
 	pages = cma_alloc(heap->cma, size >> PAGE_SHIFT, 0, false);
 	if (!pages)
 		goto free_buffer;
 
 	b->pages = pages;
 	return b;
 
+uncharge:
+	dmem_cgroup_uncharge(b->pool, size);
 free_buffer:
 	kfree(b);
 	return ERR_PTR(-ENOMEM);
 }
`,
};

/** Labels in charge order: a failure after both charges lands on the cma_release and skips the uncharge. */
const outOfOrder: HunkSpec = {
  start: 40,
  body: `+static struct page *foo_get_pages(struct foo_heap *heap, size_t size, unsigned long count)
+{
+	struct dmem_cgroup_pool_state *pool;
+	struct page *pages;
+	int ret;
+
+	ret = dmem_cgroup_try_charge(heap->region, size, &pool, NULL);
+	if (ret)
+		return ERR_PTR(ret);
+
+	pages = cma_alloc(heap->cma, count, 0, false);
+	if (!pages) {
+		ret = -ENOMEM;
+		goto uncharge;
+	}
+
+	ret = foo_map_pages(heap, pages, count);
+	if (ret)
+		goto release;
+
+	return pages;
+
+uncharge:
+	dmem_cgroup_uncharge(pool, size);
+release:
+	cma_release(heap->cma, pages, count);
+	return ERR_PTR(ret);
+}
`,
};

/** A plain return in the middle of the function where the other paths unwind through the label. */
const returnsEarly: HunkSpec = {
  start: 210,
  section: 'static int foo_heap_prepare(struct foo_heap *heap, struct foo_buf *buf)',
  body: ` 	int err;
 
+	err = dmem_cgroup_try_charge(heap->region, buf->size, &buf->pool, NULL);
+	if (err)
+		return err;
+
 	buf->sgt = kzalloc(sizeof(*buf->sgt), GFP_KERNEL);
 	if (!buf->sgt)
 		return -ENOMEM;
 
 	err = sg_alloc_table(buf->sgt, 1, GFP_KERNEL);
 	if (err)
-		goto free_sgt;
+		goto uncharge;
 
 	return 0;
 
-free_sgt:
+uncharge:
+	dmem_cgroup_uncharge(buf->pool, buf->size);
 	kfree(buf->sgt);
 	return err;
 }
`,
};

/** A region registered at init and an error that jumps past its unregister. */
const regionSkipped: HunkSpec = {
  start: 300,
  body: `+static int foo_heap_create(struct foo_heap *heap, const char *name)
+{
+	struct dmem_cgroup_region *region;
+	int ret;
+
+	region = dmem_cgroup_register_region(heap->size, "foo/%s", name);
+	if (IS_ERR(region))
+		return PTR_ERR(region);
+	heap->region = region;
+
+	heap->dev = dma_heap_add(&heap->info);
+	if (IS_ERR(heap->dev)) {
+		ret = PTR_ERR(heap->dev);
+		goto out;
+	}
+	return 0;
+
+unregister:
+	dmem_cgroup_unregister_region(region);
+out:
+	return ret;
+}
`,
};

/** cma-dmem v1: the charge under the accounting switch and the unwind in reverse order. */
const correctV1: HunkSpec = {
  start: 324,
  section: 'static struct dma_buf *cma_heap_allocate(struct dma_heap *heap,',
  body: ` 	if (align > CONFIG_CMA_ALIGNMENT)
 		align = CONFIG_CMA_ALIGNMENT;
 
+	if (mem_accounting) {
+		ret = dmem_cgroup_try_charge(cma_heap->cg, size,
+					     &buffer->pool, NULL);
+		if (ret)
+			goto free_buffer;
+	}
+
 	cma_pages = cma_alloc(cma_heap->cma, pagecount, align, false);
 	if (!cma_pages)
-		goto free_buffer;
+		goto uncharge_cgroup;
 
 	/* Clear the cma pages */
 	if (PageHighMem(cma_pages)) {
`,
};
const correctV1Labels: HunkSpec = {
  start: 388,
  section: 'static struct dma_buf *cma_heap_allocate(struct dma_heap *heap,',
  body: ` 	kfree(buffer->pages);
 free_cma:
 	cma_release(cma_heap->cma, cma_pages, pagecount);
+uncharge_cgroup:
+	dmem_cgroup_uncharge(buffer->pool, size);
 free_buffer:
 	kfree(buffer);
 
`,
};

/** A release that undoes charges but takes none (the rule does not read it): exits and labels of its own. */
const releaseOnly: HunkSpec = {
  start: 300,
  body: `+static int foo_free(struct foo_heap *heap, struct foo_buf *b, size_t size)
+{
+	if (!b->pages)
+		goto out;
+	cma_release(heap->cma, b->pages, size >> PAGE_SHIFT);
+	if (foo_busy(b))
+		return -EBUSY;
+	dmem_cgroup_uncharge(b->pool, size);
+out:
+	kfree(b);
+	return 0;
+}
`,
};

const cases: RuleCases = {
  valid: [
    { name: 'cma-dmem v1: unwind in reverse order of the charges', diff: fileDiff(HEAP, correctV1, correctV1Labels) },
    {
      name: 'the skipping goto is the deleted line; the added one reaches the uncharge',
      diff: fileDiff(HEAP, {
        start: 100,
        body: ` static struct foo_buf *foo_alloc(struct foo_heap *heap, size_t size)
 {
 	struct foo_buf *b;
 	struct page *pages;
 	int ret;
 
 	b = kzalloc(sizeof(*b), GFP_KERNEL);
 	if (!b)
 		return ERR_PTR(-ENOMEM);
 
 	ret = dmem_cgroup_try_charge(heap->region, size, &b->pool, NULL);
 	if (ret)
 		goto free_buffer;
 
 	pages = cma_alloc(heap->cma, size >> PAGE_SHIFT, 0, false);
 	if (!pages)
-		goto free_buffer;
+		goto uncharge;
 
 	b->pages = pages;
 	return b;
 
 uncharge:
 	dmem_cgroup_uncharge(b->pool, size);
 free_buffer:
 	kfree(b);
 	return ERR_PTR(-ENOMEM);
 }
`,
      }),
    },
    {
      name: 'the target label is outside the hunk (not visible)',
      diff: fileDiff(HEAP, {
        start: 150,
        section: 'static struct foo_buf *foo_alloc(struct foo_heap *heap, size_t size)',
        body: ` 	int ret;
 
+	ret = dmem_cgroup_try_charge(heap->region, size, &b->pool, NULL);
+	if (ret)
+		goto out;
+	pages = cma_alloc(heap->cma, size >> PAGE_SHIFT, 0, false);
+	if (!pages)
+		goto err_pages;
+	dmem_cgroup_uncharge(b->pool, 0);
 	b->pages = pages;
`,
      }),
    },
    {
      name: 'the undo is nowhere visible: the pool may be handed to an owner',
      diff: fileDiff(HEAP, {
        start: 60,
        section: 'static int foo_charge(struct foo_buf *b, size_t size)',
        body: ` 	int ret;
 
+	ret = dmem_cgroup_try_charge(b->heap->region, size, &b->pool, NULL);
+	if (ret)
+		return ret;
+	if (!b->heap->ready)
+		return -EAGAIN;
 	return 0;
 }
`,
      }),
    },
    {
      name: 'undo done right before the early return (videobuf2 shape)',
      diff: fileDiff('drivers/media/common/videobuf2/videobuf2-dma-contig.c', {
        start: 259,
        section: 'static void *vb2_dc_alloc(struct vb2_buffer *vb,',
        body: ` 	buf->size = size;
 	buf->dev = get_device(dev);
 
+	ret = dmem_cgroup_try_charge(dma_get_dmem_cgroup_region(dev), size, &pool, NULL);
+	if (ret)
+		return ERR_PTR(ret);
+
 	if (buf->non_coherent_mem)
 		ret = vb2_dc_alloc_non_coherent(buf);
 	else
 		ret = vb2_dc_alloc_coherent(buf);
 
 	if (ret) {
 		dev_err(dev, "dma alloc of size %lu failed\\n", size);
+		dmem_cgroup_uncharge(pool, size);
 		kfree(buf);
 		return ERR_PTR(-ENOMEM);
 	}
`,
      }),
    },
    {
      name: 'a driver function whose name merely contains cma_alloc',
      diff: fileDiff(HEAP, {
        start: 80,
        body: `+static int foo_fill(struct foo_heap *heap, struct foo_buf *b)
+{
+	b->pages = foo_cma_alloc(heap, b->count);
+	if (!b->pages)
+		goto out;
+	if (foo_check(b))
+		goto out;
+	return 0;
+release:
+	cma_release(heap->cma, b->pages, b->count);
+out:
+	return -ENOMEM;
+}
`,
      }),
    },
  ],
  invalid: [
    {
      name: 'catalog shape: the cma_alloc failure jumps past the uncharge',
      diff: fileDiff(HEAP, skipsUncharge),
      errors: [{ file: HEAP, line: lineIn(skipsUncharge, 'goto free_buffer', 2), messageId: 'skipsUndo' }],
    },
    {
      name: 'catalog shape, next to a release function that undoes charges it did not take',
      diff: fileDiff(HEAP, skipsUncharge, releaseOnly),
      errors: [{ file: HEAP, line: lineIn(skipsUncharge, 'goto free_buffer', 2), messageId: 'skipsUndo' }],
    },
    {
      name: 'labels in charge order',
      diff: fileDiff(HEAP, outOfOrder),
      errors: [{ file: HEAP, line: lineIn(outOfOrder, 'goto release'), messageId: 'outOfOrder' }],
    },
    {
      name: 'a bare return between the charge and the unwind',
      diff: fileDiff(HEAP, returnsEarly),
      errors: [{ file: HEAP, line: lineIn(returnsEarly, 'return -ENOMEM'), messageId: 'returnsCharged' }],
    },
    {
      name: 'a registered region and a goto past its unregister',
      diff: fileDiff(HEAP, regionSkipped),
      errors: [{ file: HEAP, line: lineIn(regionSkipped, 'goto out'), messageId: 'skipsUndo' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
