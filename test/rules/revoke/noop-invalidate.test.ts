import rule from '../../../rules/revoke/noop-invalidate.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { plus } from './exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/infiniband/core/bar_dmabuf.c';

const importer = (body: string, field = 'invalidate_mappings'): string =>
  fileDiff(F, {
    start: 180,
    body: plus(`static void bar_invalidate(struct dma_buf_attachment *attach)
{
${body}
}

static struct dma_buf_attach_ops bar_attach_ops = {
	.allow_peer2peer = true,
	.${field} = bar_invalidate,
};`),
  });

const cases: RuleCases = {
  valid: [
    { name: 'callback unmaps', diff: importer('\tstruct bar_mr *mr = attach->importer_priv;\n\n\tdma_resv_assert_held(attach->dmabuf->resv);\n\tbar_mr_unmap_pages(mr);') },
    { name: 'callback schedules the unmap', diff: importer('\tstruct bar_mr *mr = attach->importer_priv;\n\n\tqueue_work(bar_wq, &mr->unmap_work);') },
    {
      name: 'rename of an old .move_notify initializer (v7 1/8): the callback is not new',
      diff: fileDiff(F, {
        start: 193,
        section: 'ib_umem_dmabuf_unsupported_move_notify(struct dma_buf_attachment *attach)',
        body: ` static struct dma_buf_attach_ops ib_umem_dmabuf_attach_pinned_ops = {
 \t.allow_peer2peer = true,
-\t.move_notify = ib_umem_dmabuf_unsupported_move_notify,
+\t.invalidate_mappings = ib_umem_dmabuf_unsupported_move_notify,
 };`,
      }),
    },
    {
      name: 'callback body not visible',
      diff: fileDiff(F, {
        start: 300,
        body: `+static struct dma_buf_attach_ops baz_attach_ops = {
+\t.invalidate_mappings = baz_invalidate,
+};`,
      }),
    },
    { name: 'callback sets a flag that the fault path acts on', diff: importer('\tstruct bar_mr *mr = attach->importer_priv;\n\n\tmr->needs_remap = true;') },
  ],
  invalid: [
    {
      name: 'callback only warns',
      diff: importer('\tstruct bar_mr *mr = attach->importer_priv;\n\n\tibdev_warn_ratelimited(mr->ibdev, "invalidate on pinned memory\\n");'),
      errors: [{ file: F, line: 189 }],
    },
    { name: 'empty callback', diff: importer('\t/* nothing to do, memory is pinned */'), errors: [{ file: F, line: 187 }] },
    {
      name: 'callback only logs, in another patch than the ops',
      diff: [
        fileDiff(F, { start: 180, body: plus('static void bar_invalidate(struct dma_buf_attachment *attach)\n{\n\tpr_debug("bar: invalidate\\n");\n}') }),
        fileDiff(F, { start: 300, body: '+static struct dma_buf_attach_ops bar_ops = {\n+\t.invalidate_mappings = bar_invalidate,\n+};' }),
      ],
      errors: [{ file: F, line: 301, patch: 2 }],
    },
    {
      // meta.reads: the callback's dma_buf_attachment parameter is only in the @@ header here.
      name: 'callback seen whole from its opening brace (its signature only in the @@ header), ops in a later patch',
      diff: [
        fileDiff(F, {
          start: 180,
          section: 'static void bar_invalidate(struct dma_buf_attachment *attach)',
          body: ` {
-\tbar_mr_unmap_pages(attach->importer_priv);
+\tpr_debug("bar: invalidate\\n");
 }`,
        }),
        fileDiff(F, { start: 300, body: '+static struct dma_buf_attach_ops bar_ops = {\n+\t.invalidate_mappings = bar_invalidate,\n+};' }),
      ],
      errors: [{ file: F, line: 301, patch: 2 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
