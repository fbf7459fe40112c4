// Code of a small dma-buf exporter in the shape of vfio_pci_dmabuf.c (dma-buf revoke v7, 4/8),
// shared by the revoke rule tables. Each is a hunk body of added lines ('+' prefixed).

export const plus = (code: string): string =>
  code
    .replace(/^\n/, '')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `+${l}`)
    .join('\n');

/** The kref release that completes the handshake, and the unmap callback that drops the kref. */
export const releaseAndUnmap = `static void foo_buf_done(struct kref *kref)
{
	struct foo_buf *priv = container_of(kref, struct foo_buf, kref);

	complete(&priv->comp);
}

static void foo_buf_unmap(struct dma_buf_attachment *attachment,
			  struct sg_table *sgt, enum dma_data_direction dir)
{
	struct foo_buf *priv = attachment->dmabuf->priv;

	dma_resv_assert_held(priv->dmabuf->resv);
	dma_buf_free_sgt(attachment, sgt, dir);
	kref_put(&priv->kref, foo_buf_done);
}`;

/** The correct revoke sequence of the v7 cover letter, guarded against a second revoke. */
export const correctRevoke = `void foo_buf_revoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	if (priv->revoked) {
		dma_resv_unlock(priv->dmabuf->resv);
		return;
	}
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false,
			      MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	kref_put(&priv->kref, foo_buf_done);
	wait_for_completion(&priv->comp);
}`;

/** The correct un-revoke: re-arm first, then clear the flag under the resv. */
export const correctUnrevoke = `void foo_buf_unrevoke(struct foo_buf *priv)
{
	kref_init(&priv->kref);
	reinit_completion(&priv->comp);
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = false;
	dma_resv_unlock(priv->dmabuf->resv);
}`;
