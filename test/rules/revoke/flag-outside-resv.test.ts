import rule from '../../../rules/revoke/flag-outside-resv.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { correctRevoke, correctUnrevoke, plus } from './exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/misc/foo/foo_dmabuf.c';

const cases: RuleCases = {
  valid: [
    { name: 'the v7 revoke and un-revoke sequences', diff: fileDiff(F, { start: 100, body: `${plus(correctRevoke)}\n+\n${plus(correctUnrevoke)}` }) },
    {
      name: 'lock taken above the hunk: state unknown',
      diff: fileDiff(F, {
        start: 350,
        section: 'void foo_buf_cleanup(struct foo_dev *fdev)',
        body: ` \t\tpriv->fdev = NULL;
+\t\tpriv->revoked = true;
 \t\tdma_buf_invalidate_mappings(priv->dmabuf);
 \t\tdma_resv_unlock(priv->dmabuf->resv);`,
      }),
    },
    {
      name: 'deleted store after the unlock',
      diff: fileDiff(F, {
        start: 200,
        section: 'void foo_buf_move(struct foo_buf *priv, bool revoked)',
        body: ` \tdma_resv_lock(priv->dmabuf->resv, NULL);
+\tpriv->revoked = revoked;
 \tdma_buf_invalidate_mappings(priv->dmabuf);
 \tdma_resv_unlock(priv->dmabuf->resv);
-\tpriv->revoked = revoked;`,
      }),
    },
    {
      name: 'flag set in a helper the revoke calls under the resv (each function judged alone)',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static void foo_buf_mark(struct foo_buf *priv)
{
	dma_resv_assert_held(priv->dmabuf->resv);
	priv->revoked = true;
}

void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	foo_buf_mark(priv);
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
}`),
      }),
    },
    {
      name: 'a local copy named was_revoked is not the flag',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`void foo_buf_kill(struct foo_buf *priv)
{
	bool was_revoked = priv->revoked;

	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	if (!was_revoked)
		foo_wait_unmapped(priv);
}`),
      }),
    },
  ],
  invalid: [
    {
      name: 'flag set after dma_resv_unlock',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	priv->revoked = true;
}`),
      }),
      errors: [{ file: F, line: 16, messageId: 'afterUnlock' }],
    },
    {
      name: 'flag set before dma_resv_lock',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`void foo_buf_revoke(struct foo_buf *priv)
{
	priv->revoked = true;
	dma_resv_lock(priv->dmabuf->resv, NULL);
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
}`),
      }),
      errors: [{ file: F, line: 12, messageId: 'beforeLock' }],
    },
    {
      name: 'flag set under the lock but after the invalidate call',
      diff: fileDiff(F, {
        start: 200,
        section: 'void foo_buf_move(struct foo_buf *priv, bool revoked)',
        body: ` \tdma_resv_lock(priv->dmabuf->resv, NULL);
-\tpriv->revoked = revoked;
 \tdma_buf_invalidate_mappings(priv->dmabuf);
+\tpriv->revoked = revoked;
 \tdma_resv_unlock(priv->dmabuf->resv);`,
      }),
      errors: [{ file: F, line: 202, messageId: 'afterInvalidate' }],
    },
    {
      name: 'un-revoke clears the flag after dropping the resv',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`void foo_buf_unrevoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	kref_init(&priv->kref);
	reinit_completion(&priv->comp);
	dma_resv_unlock(priv->dmabuf->resv);
	priv->revoked = false;
}`),
      }),
      errors: [{ file: F, line: 16, messageId: 'afterUnlock' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
