import rule from '../../../rules/revoke/wait-under-resv.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { correctRevoke, plus, releaseAndUnmap } from './exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/misc/foo/foo_dmabuf.c';

const revokeWaitingInside = `void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
	kref_put(&priv->kref, foo_buf_done);
	wait_for_completion(&priv->comp);
	dma_resv_unlock(priv->dmabuf->resv);
}`;

const cases: RuleCases = {
  valid: [
    { name: 'the v7 sequence waits after the unlock', diff: fileDiff(F, { start: 10, body: `${plus(releaseAndUnmap)}\n+\n${plus(correctRevoke)}` }) },
    {
      name: 'lock taken above the hunk: not visible',
      diff: fileDiff(F, {
        start: 400,
        section: 'void foo_buf_cleanup(struct foo_dev *fdev)',
        body: ` \t\tdma_buf_invalidate_mappings(priv->dmabuf);
+\t\twait_for_completion(&priv->comp);
 \t\tdma_resv_unlock(priv->dmabuf->resv);`,
      }),
    },
    {
      name: 'fence wait under the resv is the sequence itself, and an unrelated completion',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static int foo_bo_fw_sync(struct foo_bo *bo)
{
	dma_resv_lock(bo->base.resv, NULL);
	foo_fw_kick(bo);
	wait_for_completion(&bo->fw_done);
	dma_fence_wait(bo->last_fence, false);
	dma_resv_unlock(bo->base.resv);
	return 0;
}`),
      }),
    },
    {
      name: 'deleted wait under the lock',
      diff: fileDiff(F, {
        start: 200,
        section: 'void foo_buf_revoke(struct foo_buf *priv)',
        body: ` \tdma_buf_invalidate_mappings(priv->dmabuf);
-\twait_for_completion(&priv->comp);
 \tdma_resv_unlock(priv->dmabuf->resv);
+\twait_for_completion(&priv->comp);`,
      }),
    },
  ],
  invalid: [
    {
      name: 'waits for the unmap completion before unlocking',
      diff: fileDiff(F, { start: 10, body: `${plus(releaseAndUnmap)}\n+\n${plus(revokeWaitingInside)}` }),
      errors: [{ file: F, line: 34 }],
    },
    {
      name: 'wait_event on a counter the unmap callback wakes, revoke in another patch',
      diff: [
        fileDiff(F, {
          start: 10,
          body: plus(`static void foo_buf_unmap(struct dma_buf_attachment *attachment,
			  struct sg_table *sgt, enum dma_data_direction dir)
{
	struct foo_buf *priv = attachment->dmabuf->priv;

	dma_buf_free_sgt(attachment, sgt, dir);
	atomic_dec(&priv->nr_maps);
	wake_up(&priv->unmap_wq);
}`),
        }),
        fileDiff(F, {
          start: 60,
          body: plus(`void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	wait_event(priv->unmap_wq, !atomic_read(&priv->nr_maps));
	dma_resv_unlock(priv->dmabuf->resv);
}`),
        }),
      ],
      errors: [{ file: F, line: 64, patch: 2 }],
    },
    {
      // meta.reads: the [E] is found across three patches (release, the unmap callback's kref_put, the wait).
      name: 'the release that completes, its kref_put in the unmap callback and the wait in three patches',
      diff: [
        fileDiff(F, { start: 10, body: plus(releaseAndUnmap.slice(0, releaseAndUnmap.indexOf('static void foo_buf_unmap'))) }),
        fileDiff(F, { start: 20, body: plus(releaseAndUnmap.slice(releaseAndUnmap.indexOf('static void foo_buf_unmap'))) }),
        fileDiff(F, {
          start: 60,
          body: plus(`static int foo_buf_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attachment)
{
	return attachment->peer2peer ? 0 : -EOPNOTSUPP;
}

${revokeWaitingInside}`),
        }),
      ],
      errors: [{ file: F, line: 72, patch: 3 }],
    },
    {
      name: 'flushes the unmap work under the resv after invalidating',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	flush_work(&priv->unmap_work);
	dma_resv_unlock(priv->dmabuf->resv);
}`),
      }),
      errors: [{ file: F, line: 15 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
