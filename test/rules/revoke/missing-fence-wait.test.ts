import rule from '../../../rules/revoke/missing-fence-wait.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { correctRevoke, plus } from './exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/misc/foo/foo_dmabuf.c';

const revokeWith = (wait: string): string =>
  fileDiff(F, {
    start: 10,
    body: plus(`void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
${wait}
	dma_resv_unlock(priv->dmabuf->resv);
}`),
  });

const cases: RuleCases = {
  valid: [
    { name: 'the v7 revoke sequence', diff: fileDiff(F, { start: 100, body: plus(correctRevoke) }) },
    {
      name: 'rename-only line of an old revoke path (v7 2/8)',
      diff: fileDiff(F, {
        start: 330,
        section: 'void foo_buf_move(struct foo_dev *fdev, bool revoked)',
        body: ` \t\t\tdma_resv_lock(priv->dmabuf->resv, NULL);
 \t\t\tpriv->revoked = revoked;
-\t\t\tdma_buf_move_notify(priv->dmabuf);
+\t\t\tdma_buf_invalidate_mappings(priv->dmabuf);
 \t\t\tdma_resv_unlock(priv->dmabuf->resv);`,
      }),
    },
    {
      name: 'a TTM mover invalidates without a revoked flag (TTM waits for the move fence)',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static void foo_bo_move_notify(struct foo_bo *bo)
{
	dma_resv_lock(bo->base.resv, NULL);
	dma_buf_invalidate_mappings(bo->base.dma_buf);
	dma_resv_unlock(bo->base.resv);
}`),
      }),
    },
    { name: 'timeout held in a variable is not judged', diff: revokeWith('\tdma_resv_wait_timeout(priv->dmabuf->resv, usage, false, timeout);') },
    {
      name: 'deleted fence wait in pre-image only',
      diff: fileDiff(F, {
        start: 330,
        section: 'void foo_buf_move(struct foo_dev *fdev, bool revoked)',
        body: ` \t\t\tpriv->revoked = revoked;
 \t\t\tdma_buf_invalidate_mappings(priv->dmabuf);
-\t\t\tdma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);
 \t\t\tdma_resv_unlock(priv->dmabuf->resv);`,
      }),
    },
  ],
  invalid: [
    { name: 'no fence wait between invalidate and unlock', diff: revokeWith(''), errors: [{ file: F, line: 14, messageId: 'missing' }] },
    {
      name: 'KERNEL usage misses the importers\' BOOKKEEP fences',
      diff: revokeWith('\tdma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);'),
      errors: [{ file: F, line: 15, messageId: 'usage' }],
    },
    {
      name: 'finite timeout lets the revoke go on with DMA in flight',
      diff: revokeWith('\tdma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, HZ);'),
      errors: [{ file: F, line: 15, messageId: 'timeout' }],
    },
    {
      name: 'fence wait in a helper called after the unlock (each function judged alone)',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static void foo_buf_wait_fences(struct foo_buf *priv)
{
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
}

void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_unlock(priv->dmabuf->resv);
	foo_buf_wait_fences(priv);
}`),
      }),
      errors: [{ file: F, line: 19, messageId: 'missing' }],
    },
    {
      name: 'revoke function without a flag, old dma_buf_move_notify name',
      diff: fileDiff(F, {
        start: 40,
        body: plus(`int foo_test_dmabuf_revoke(struct dma_buf *dmabuf)
{
	dma_resv_lock(dmabuf->resv, NULL);
	dma_buf_move_notify(dmabuf);
	dma_resv_unlock(dmabuf->resv);
	return 0;
}`),
      }),
      errors: [{ file: F, line: 43, messageId: 'missing' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
