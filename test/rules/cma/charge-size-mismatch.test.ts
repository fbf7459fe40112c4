import rule from '../../../rules/cma/charge-size-mismatch.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from './hunk-lines.ts';

const HEAP = 'drivers/dma-buf/heaps/cma_heap.c';

/** dmem RFC 10/12: charged the page-aligned size, uncharged the caller's length. */
const alignedVsLen: HunkSpec = {
  start: 280,
  section: 'static struct dma_buf *cma_heap_allocate(struct dma_heap *heap,',
  body: ` 	struct cma_heap *cma_heap = dma_heap_get_drvdata(heap);
+	struct dmem_cgroup_pool_state *pool;
 	size_t size = PAGE_ALIGN(len);
 	int ret = -ENOMEM;
 
+	ret = dmem_cgroup_try_charge(cma_get_dmem_cgroup_region(cma_heap->cma),
+				     size, &pool, NULL);
+	if (ret)
+		return ERR_PTR(ret);
+
 	buffer = kzalloc(sizeof(*buffer), GFP_KERNEL);
-	if (!buffer)
-		return ERR_PTR(-ENOMEM);
+	if (!buffer) {
+		ret = -ENOMEM;
+		goto uncharge_cgroup;
+	}
+	return dmabuf;
+
+uncharge_cgroup:
+	dmem_cgroup_uncharge(pool, len);
 	return ERR_PTR(ret);
 }
`,
};

/** The release callback gives back the unaligned length the allocator stored. */
const releaseHunk: HunkSpec = {
  start: 270,
  section: 'static void foo_heap_release(struct dma_buf *dmabuf)',
  body: ` 	struct foo_buffer *buffer = dmabuf->priv;
 
+	dmem_cgroup_uncharge(buffer->pool, buffer->len);
 	kfree(buffer);
 }
`,
};

const allocateStoresLen: HunkSpec = {
  start: 300,
  body: `+static struct dma_buf *foo_heap_allocate(struct foo_heap *heap, unsigned long len)
+{
+	struct foo_buffer *buffer;
+	size_t size = PAGE_ALIGN(len);
+	int ret;
+
+	buffer = kzalloc(sizeof(*buffer), GFP_KERNEL);
+	if (!buffer)
+		return ERR_PTR(-ENOMEM);
+	buffer->len = len;
+	ret = dmem_cgroup_try_charge(heap->region, size, &buffer->pool, NULL);
+	if (ret) {
+		kfree(buffer);
+		return ERR_PTR(ret);
+	}
+	return foo_export(buffer);
+}
`,
};

const releaseStoresLen = (): string => fileDiff(HEAP, releaseHunk, allocateStoresLen);

/** Between release and allocator: sets ->len and ->pool, but charges nothing (the rule does not read it). */
const resizeHelper: HunkSpec = {
  start: 285,
  section: 'static void foo_heap_resize(struct foo_buffer *buffer, size_t len)',
  body: ` 	foo_lock(buffer);
+	buffer->len = len;
+	buffer->pool = NULL;
 	foo_unlock(buffer);
`,
};

const pagesVsBytes: HunkSpec = {
  start: 90,
  body: `+static int foo_charge_pages(struct foo *f, unsigned long npages)
+{
+	unsigned long bytes = npages << PAGE_SHIFT;
+	int ret;
+
+	ret = dmem_cgroup_try_charge(f->region, bytes, &f->pool, NULL);
+	if (ret)
+		return ret;
+	ret = foo_map(f);
+	if (ret)
+		dmem_cgroup_uncharge(f->pool, npages);
+	return ret;
+}
`,
};

const cases: RuleCases = {
  valid: [
    {
      name: 'cma-dmem v2: error path and release give back the charged size',
      diff: fileDiff(
        HEAP,
        { start: 278, section: 'static void cma_heap_dma_buf_release(struct dma_buf *dmabuf)', body: ` 	cma_release(cma_heap->cma, buffer->cma_pages, buffer->pagecount);
+	dmem_cgroup_uncharge(buffer->pool, buffer->len);
 	kfree(buffer);
 }
` },
        { start: 322, section: 'static struct dma_buf *cma_heap_allocate(struct dma_heap *heap,', body: `+	if (mem_accounting) {
+		ret = dmem_cgroup_try_charge(region, size, &buffer->pool, NULL);
+		if (ret)
+			goto free_buffer;
+	}
 	cma_pages = cma_alloc(cma_heap->cma, pagecount, align, false);
+uncharge_cgroup:
+	dmem_cgroup_uncharge(buffer->pool, size);
 free_buffer:
` },
      ),
    },
    {
      name: 'videobuf2: the release uncharges buf->size, which the allocator set to the charged size',
      diff: fileDiff('drivers/media/common/videobuf2/videobuf2-dma-contig.c', {
        start: 240,
        body: `+static void *foo_alloc(struct device *dev, unsigned long size)
+{
+	struct dmem_cgroup_pool_state *pool;
+	struct foo_buf *buf = kzalloc(sizeof(*buf), GFP_KERNEL);
+	int ret;
+
+	buf->size = size;
+	ret = dmem_cgroup_try_charge(dma_get_dmem_cgroup_region(dev), size, &pool, NULL);
+	if (ret)
+		return ERR_PTR(ret);
+	buf->cgroup_pool_state = pool;
+	return buf;
+}
+
+static void foo_put(struct foo_buf *buf)
+{
+	dmem_cgroup_uncharge(buf->cgroup_pool_state, buf->size);
+	kfree(buf);
+}
`,
      }),
    },
    {
      name: 'different names with no visible relation (size is not visibly derived from len)',
      diff: fileDiff(HEAP, { start: 50, section: 'static int foo(struct foo *f, size_t size, size_t len)', body: ` 	int ret;
 
+	ret = dmem_cgroup_try_charge(f->region, size, &f->pool, NULL);
+	if (ret)
+		return ret;
+	dmem_cgroup_uncharge(f->pool, len);
 	return 0;
` }),
    },
    {
      name: 'the mismatching uncharge is a deleted line',
      diff: fileDiff(HEAP, { ...alignedVsLen, body: alignedVsLen.body.replace('+\tdmem_cgroup_uncharge(pool, len);', '-\tdmem_cgroup_uncharge(pool, len);\n+\tdmem_cgroup_uncharge(pool, size);') }),
    },
  ],
  invalid: [
    { name: 'dmem RFC 10/12: PAGE_ALIGN(len) charged, len uncharged', diff: fileDiff(HEAP, alignedVsLen), errors: [{ file: HEAP, line: lineIn(alignedVsLen, 'dmem_cgroup_uncharge'), messageId: 'mismatch' }] },
    { name: 'release gives back the unaligned length stored by the allocator', diff: releaseStoresLen(), errors: [{ file: HEAP, line: 272, messageId: 'mismatch' }] },
    {
      // Only functions that charge or uncharge are read; the resize helper between them stores ->len but charges nothing.
      name: 'release across functions still matched with a non-charging helper in between',
      diff: fileDiff(HEAP, releaseHunk, resizeHelper, allocateStoresLen),
      errors: [{ file: HEAP, line: 272, messageId: 'mismatch' }],
    },
    { name: 'bytes charged, pages uncharged', diff: fileDiff(HEAP, pagesVsBytes), errors: [{ file: HEAP, line: lineIn(pagesVsBytes, 'dmem_cgroup_uncharge'), messageId: 'mismatch' }] },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
