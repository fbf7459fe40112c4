import rule from '../../../rules/dma-buf/resv-not-held.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { plus } from '../revoke/exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/iommu/iommufd/pages.c';

const cases: RuleCases = {
  valid: [
    {
      name: 'pin between lock and unlock (v7 8/8 shape)',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static int iopt_map_dmabuf(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	int rc;

	dma_resv_lock(dmabuf->resv, NULL);
	rc = dma_buf_pin(attach);
	if (rc)
		goto err_unlock;
	dma_resv_unlock(dmabuf->resv);
	return 0;

err_unlock:
	dma_resv_unlock(dmabuf->resv);
	return rc;
}`),
      }),
    },
    {
      name: 'lock taken outside the hunk (v7 8/8 iopt_release_pages)',
      diff: fileDiff(F, {
        start: 1662,
        section: 'void iopt_release_pages(struct kref *kref)',
        body: ` \t\tstruct dma_buf *dmabuf = pages->dmabuf.attach->dmabuf;
 
+\t\tdma_buf_unpin(pages->dmabuf.attach);
 \t\tdma_buf_detach(dmabuf, pages->dmabuf.attach);
 \t\tdma_buf_put(dmabuf);`,
      }),
    },
    {
      name: 'a helper pins under the lock its caller takes (each function judged alone)',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static int iopt_pin_dmabuf(struct dma_buf_attachment *attach)
{
	dma_resv_assert_held(attach->dmabuf->resv);
	return dma_buf_pin(attach);
}

static int iopt_map_dmabuf(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	int rc;

	dma_resv_lock(dmabuf->resv, NULL);
	rc = iopt_pin_dmabuf(attach);
	dma_resv_unlock(dmabuf->resv);
	return rc;
}`),
      }),
    },
    {
      name: 'the dma-buf core implementation',
      diff: fileDiff('drivers/dma-buf/dma-buf.c', {
        start: 1100,
        body: plus(`struct sg_table *dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach,
						enum dma_data_direction direction)
{
	struct sg_table *sg_table;

	dma_resv_lock(attach->dmabuf->resv, NULL);
	sg_table = dma_buf_map_attachment(attach, direction);
	dma_resv_unlock(attach->dmabuf->resv);
	dma_buf_pin(attach);
	return sg_table;
}`),
      }),
    },
    {
      name: 'map on a non-dynamic attachment, and a rename-only line',
      diff: fileDiff('drivers/gpu/drm/foo/foo.c', {
        start: 10,
        body: `${plus(`static int foo_import(struct dma_buf *dmabuf, struct device *dev)
{
	struct dma_buf_attachment *attach = dma_buf_attach(dmabuf, dev);

	dma_resv_lock(dmabuf->resv, NULL);
	foo_note(dmabuf);
	dma_resv_unlock(dmabuf->resv);
	foo_sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	return 0;
}`)}`,
      }),
    },
  ],
  invalid: [
    {
      name: 'invalidate after the unlock',
      diff: fileDiff('drivers/misc/foo/foo_dmabuf.c', {
        start: 10,
        body: plus(`void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_resv_unlock(priv->dmabuf->resv);
	dma_buf_invalidate_mappings(priv->dmabuf);
}`),
      }),
      errors: [{ file: 'drivers/misc/foo/foo_dmabuf.c', line: 15, messageId: 'afterUnlock' }],
    },
    {
      name: 'unpin on the error path after the unlock',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static int iopt_map_dmabuf(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	int rc;

	dma_resv_lock(dmabuf->resv, NULL);
	rc = dma_buf_pin(attach);
	dma_resv_unlock(dmabuf->resv);
	if (rc)
		return rc;
	rc = iopt_fill(attach);
	if (rc)
		dma_buf_unpin(attach);
	return rc;
}`),
      }),
      errors: [{ file: F, line: 21, messageId: 'afterUnlock' }],
    },
    {
      name: 'dynamic attachment mapped before the lock is taken',
      diff: fileDiff('drivers/gpu/drm/foo/foo.c', {
        start: 10,
        body: plus(`static int foo_import(struct dma_buf *dmabuf, struct device *dev)
{
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;

	attach = dma_buf_dynamic_attach(dmabuf, dev, &foo_importer_ops, NULL);
	sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	dma_resv_lock(dmabuf->resv, NULL);
	dma_resv_add_fence(dmabuf->resv, foo_fence, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(dmabuf->resv);
	return 0;
}`),
      }),
      errors: [{ file: 'drivers/gpu/drm/foo/foo.c', line: 16, messageId: 'beforeLock' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
