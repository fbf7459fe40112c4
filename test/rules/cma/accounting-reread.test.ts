import rule from '../../../rules/cma/accounting-reread.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from './hunk-lines.ts';

const HEAP = 'drivers/dma-buf/heaps/cma_heap.c';

const allocate: HunkSpec = {
  start: 322,
  section: 'static struct dma_buf *cma_heap_allocate(struct dma_heap *heap,',
  body: `+	if (mem_accounting) {
+		ret = dmem_cgroup_try_charge(region, size, &buffer->pool, NULL);
+		if (ret)
+			goto free_buffer;
+	}
 	cma_pages = cma_alloc(cma_heap->cma, pagecount, align, false);
`,
};

const releaseRereads: HunkSpec = {
  start: 278,
  section: 'static void cma_heap_dma_buf_release(struct dma_buf *dmabuf)',
  body: ` 	cma_release(cma_heap->cma, buffer->cma_pages, buffer->pagecount);
+	if (mem_accounting)
+		dmem_cgroup_uncharge(buffer->pool, buffer->len);
 	kfree(buffer);
 }
`,
};

const earlyReturn: HunkSpec = {
  start: 120,
  body: `+static void foo_uncharge(struct foo_buffer *buffer)
+{
+	if (!foo_dmem_accounting)
+		return;
+	dmem_cgroup_uncharge(buffer->pool, buffer->size);
+}
`,
};

const param = (perm: string): HunkSpec => ({
  start: 30,
  body: ` static bool foo_dmem_accounting;
+module_param(foo_dmem_accounting, bool, ${perm});
+MODULE_PARM_DESC(foo_dmem_accounting, "charge buffers to the dmem cgroup");
`,
});

const cases: RuleCases = {
  valid: [
    {
      name: 'cma-dmem v2: release relies on the stored pool',
      diff: fileDiff(HEAP, allocate, { ...releaseRereads, body: releaseRereads.body.replace('+\tif (mem_accounting)\n+\t', '+') }),
    },
    { name: 'the switch is a read-only module parameter', diff: fileDiff('drivers/gpu/foo/foo_drv.c', param('0444'), earlyReturn) },
    { name: 'the re-test is a deleted line', diff: fileDiff(HEAP, allocate, { ...releaseRereads, body: releaseRereads.body.replace('+\tif (mem_accounting)\n+\t\tdmem', '-\tif (mem_accounting)\n-\t\tdmem') }) },
    {
      name: 'release tests the stored pool, not the switch',
      diff: fileDiff(HEAP, allocate, { ...releaseRereads, body: releaseRereads.body.replace('if (mem_accounting)', 'if (buffer->pool)') }),
    },
  ],
  invalid: [
    { name: 'release re-tests the switch that guarded the charge', diff: fileDiff(HEAP, allocate, releaseRereads), errors: [{ file: HEAP, line: lineIn(releaseRereads, 'dmem_cgroup_uncharge'), messageId: 'reread' }] },
    {
      name: 'writable accounting parameter tested by an early return',
      diff: fileDiff('drivers/gpu/foo/foo_drv.c', param('0644'), earlyReturn),
      errors: [{ file: 'drivers/gpu/foo/foo_drv.c', line: lineIn(earlyReturn, 'dmem_cgroup_uncharge'), messageId: 'reread' }],
    },
    {
      name: 'switch and release in separate patches of the series',
      diff: [fileDiff(HEAP, allocate), fileDiff(HEAP, releaseRereads)],
      errors: [{ file: HEAP, line: lineIn(releaseRereads, 'dmem_cgroup_uncharge'), messageId: 'reread', patch: 2 }],
    },
    {
      // The rule reads only charging and uncharging functions: one that merely tests the switch changes nothing.
      name: 'switch and release in separate patches, and a third patch testing the switch elsewhere',
      diff: [
        fileDiff(HEAP, allocate),
        fileDiff(HEAP, releaseRereads),
        fileDiff(HEAP, { start: 400, body: '+static void cma_heap_show(struct seq_file *m)\n+{\n+\tif (mem_accounting)\n+\t\tseq_puts(m, "accounted\\n");\n+}\n' }),
      ],
      errors: [{ file: HEAP, line: lineIn(releaseRereads, 'dmem_cgroup_uncharge'), messageId: 'reread', patch: 2 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
