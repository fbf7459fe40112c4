import rule from '../../../rules/revoke/unbounded-unmap-wait.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { correctRevoke, plus, releaseAndUnmap } from './exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/misc/foo/foo_dmabuf.c';

const attach = (check: string): string => `static int foo_buf_attach(struct dma_buf *dmabuf,
			  struct dma_buf_attachment *attachment)
{
	struct foo_buf *priv = dmabuf->priv;

	if (priv->revoked)
		return -ENODEV;
${check}
	return 0;
}`;

const ops = `static const struct dma_buf_ops foo_dmabuf_ops = {
	.attach = foo_buf_attach,
	.unmap_dma_buf = foo_buf_unmap,
};`;

const series = (attachCheck: string, revoke = correctRevoke): string =>
  fileDiff(F, { start: 10, body: `${plus(attach(attachCheck))}\n+\n${plus(releaseAndUnmap)}\n+\n${plus(ops)}\n+\n${plus(revoke)}` });

const cases: RuleCases = {
  valid: [
    { name: 'attach refuses non-revocable importers (v7 7/8)', diff: series('\tif (!dma_buf_attach_revocable(attachment))\n\t\treturn -EOPNOTSUPP;') },
    {
      name: 'the refusal comes in a later patch of the series',
      diff: [
        series(''),
        fileDiff(F, {
          start: 15,
          section: 'static int foo_buf_attach(struct dma_buf *dmabuf,',
          body: ` \tif (priv->revoked)
 \t\treturn -ENODEV;
+\tif (!dma_buf_attach_revocable(attachment))
+\t\treturn -EOPNOTSUPP;
 \treturn 0;`,
        }),
      ],
    },
    {
      name: 'bounded wait (v5/v6 used a 1 s timeout)',
      diff: series('', correctRevoke.replace('wait_for_completion(&priv->comp);', 'wait_for_completion_timeout(&priv->comp, secs_to_jiffies(1));')),
    },
    {
      name: '.attach not visible in the series',
      diff: fileDiff(F, { start: 10, body: `${plus(releaseAndUnmap)}\n+\n${plus(correctRevoke)}` }),
    },
  ],
  invalid: [
    { name: 'unbounded wait, attach accepts everyone', diff: series(''), errors: [{ file: F, line: 56 }] },
    {
      name: 'unbounded wait in the cleanup path, attach checks something else',
      diff: series('\tif (!attachment->peer2peer)\n\t\treturn -EOPNOTSUPP;'),
      errors: [{ file: F, line: 57 }],
    },
    {
      name: 'wait added in a later patch',
      diff: [
        series('', correctRevoke.replace('\twait_for_completion(&priv->comp);\n', '')),
        fileDiff(F, {
          start: 55,
          section: 'void foo_buf_revoke(struct foo_buf *priv)',
          body: ` \tdma_resv_unlock(priv->dmabuf->resv);
 \tkref_put(&priv->kref, foo_buf_done);
+\twait_for_completion(&priv->comp);
 }`,
        }),
      ],
      errors: [{ file: F, line: 57, patch: 2 }],
    },
    {
      // meta.reads: this .attach shows neither dma_buf_attachment nor a refusal; only its header names dma_buf.
      name: '.attach seen whole from its opening brace in a later patch (its signature only in the @@ header)',
      diff: [
        fileDiff(F, { start: 10, body: `${plus(releaseAndUnmap)}\n+\n${plus(ops)}\n+\n${plus(correctRevoke)}` }),
        fileDiff(F, {
          start: 100,
          section: 'static int foo_buf_attach(struct dma_buf *dmabuf,',
          body: ` {
 \tstruct foo_buf *priv = dmabuf->priv;
 
+\tif (priv->revoked)
+\t\treturn -ENODEV;
 \treturn 0;
 }`,
        }),
      ],
      errors: [{ file: F, line: 45, patch: 1 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
