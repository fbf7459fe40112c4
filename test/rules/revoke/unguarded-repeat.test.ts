import rule from '../../../rules/revoke/unguarded-repeat.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { correctRevoke, plus, releaseAndUnmap } from './exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/misc/foo/foo_dmabuf.c';

const cleanup = (guard: string, tail = '\tkref_put(&priv->kref, foo_buf_done);\n\twait_for_completion(&priv->comp);'): string =>
  fileDiff(F, {
    start: 10,
    body: plus(`void foo_buf_cleanup(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
${guard}
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
${tail}
}`),
  });

const cases: RuleCases = {
  valid: [
    { name: 'returns early when already revoked', diff: fileDiff(F, { start: 10, body: plus(correctRevoke) }) },
    { name: 'remembers the old value and skips the put', diff: cleanup('\twas_revoked = priv->revoked;', '\tif (!was_revoked) {\n\t\tkref_put(&priv->kref, foo_buf_done);\n\t\twait_for_completion(&priv->comp);\n\t}') },
    {
      name: 'start of the function not visible (a guard may be above)',
      diff: fileDiff(F, {
        start: 400,
        section: 'void foo_buf_cleanup(struct foo_dev *fdev)',
        body: ` \t\tpriv->revoked = true;
 \t\tdma_buf_invalidate_mappings(priv->dmabuf);
 \t\tdma_resv_unlock(priv->dmabuf->resv);
+\t\tkref_put(&priv->kref, foo_buf_done);
+\t\twait_for_completion(&priv->comp);`,
      }),
    },
    {
      name: 'the v7 move: put and wait only when the state flips',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`void foo_buf_move(struct foo_buf *priv, bool revoked)
{
	if (priv->revoked != revoked) {
		dma_resv_lock(priv->dmabuf->resv, NULL);
		if (revoked)
			priv->revoked = true;
		dma_buf_invalidate_mappings(priv->dmabuf);
		dma_resv_unlock(priv->dmabuf->resv);
		if (revoked) {
			kref_put(&priv->kref, foo_buf_done);
			wait_for_completion(&priv->comp);
		}
	}
}`),
      }),
    },
  ],
  invalid: [
    { name: 'cleanup after a revoke puts and waits again (vfio v7 cleanup shape)', diff: cleanup(''), errors: [{ file: F, line: 18 }] },
    {
      name: 'double put and wait, next to the unmap callback that also puts (judged alone)',
      diff: [cleanup(''), fileDiff(F, { start: 100, body: plus(releaseAndUnmap) })],
      errors: [{ file: F, line: 18, patch: 1 }],
    },
    {
      name: 'bounded wait, same double put',
      diff: cleanup('', '\tkref_put(&priv->kref, foo_buf_done);\n\twait_for_completion_timeout(&priv->comp, HZ);'),
      errors: [{ file: F, line: 18 }],
    },
    {
      name: 'flag set with 1 and an unrelated condition around the sequence',
      diff: cleanup('', '\tif (priv->nr_importers) {\n\t\tkref_put(&priv->kref, foo_buf_done);\n\t\twait_for_completion(&priv->comp);\n\t}').replace('priv->revoked = true;', 'priv->revoked = 1;'),
      errors: [{ file: F, line: 19 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
