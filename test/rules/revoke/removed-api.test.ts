import rule from '../../../rules/revoke/removed-api.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';

const header = (path: string): string => `diff --git a/${path} b/${path}
index 1111111..2222222 100644
--- a/${path}
+++ b/${path}
`;

testRule(rule, {
  valid: [
    {
      name: 'the series that introduces dma_buf_move_notify() and .move_notify (2019 dynamic DMA-buf)',
      diff: [
        `${header('include/linux/dma-buf.h')}@@ -330,6 +330,12 @@ struct dma_buf_attach_ops {
 struct dma_buf_attach_ops {
+	/**
+	 * @move_notify: notification that the DMA-buf is moving
+	 */
+	void (*move_notify)(struct dma_buf_attachment *attach);
 };
 
+void dma_buf_move_notify(struct dma_buf *dma_buf);
`,
        `${header('drivers/gpu/drm/amd/amdgpu/amdgpu_dma_buf.c')}@@ -480,6 +480,7 @@ static void amdgpu_dma_buf_move_notify(struct dma_buf_attachment *attach)
 
 static const struct dma_buf_attach_ops amdgpu_dma_buf_attach_ops = {
+	.move_notify = amdgpu_dma_buf_move_notify
 };
 
`,
      ],
    },
    {
      name: 'renamed initializer whose callback name still contains move_notify',
      diff: `${header('drivers/gpu/drm/xe/xe_dma_buf.c')}@@ -287,7 +287,7 @@ static void xe_dma_buf_move_notify(struct dma_buf_attachment *attach)
 
 static const struct dma_buf_attach_ops xe_dma_buf_attach_ops = {
 	.allow_peer2peer = true,
-	.move_notify = xe_dma_buf_move_notify
+	.invalidate_mappings = xe_dma_buf_move_notify
 };
 
 #if IS_ENABLED(CONFIG_DRM_XE_KUNIT_TEST)
`,
    },
    {
      name: 'deleted uses of the old API and of the Kconfig symbol',
      diff: `${header('drivers/gpu/drm/amd/amdgpu/amdgpu_object.c')}@@ -1270,7 +1270,7 @@ void amdgpu_bo_move_notify(struct ttm_buffer_object *bo,
 
 	if (abo->tbo.base.dma_buf && !drm_gem_is_imported(&abo->tbo.base) &&
 	    old_mem && old_mem->mem_type != TTM_PL_SYSTEM)
-		dma_buf_move_notify(abo->tbo.base.dma_buf);
+		dma_buf_invalidate_mappings(abo->tbo.base.dma_buf);
 
 	/* move_notify is called before move happens */
 	trace_amdgpu_bo_move(abo, new_mem ? new_mem->mem_type : -1,
${header('drivers/gpu/drm/amd/amdkfd/Kconfig')}@@ -27,7 +27,7 @@ config HSA_AMD_SVM
 	bool "Enable HMM-based shared virtual memory manager"
 	depends on HSA_AMD && DEVICE_PRIVATE
-	depends on HSA_AMD && PCI_P2PDMA && DMABUF_MOVE_NOTIFY
+	depends on HSA_AMD && PCI_P2PDMA
 	default y
 	select HMM_MIRROR
 	select MMU_NOTIFIER
`,
    },
    {
      name: 'the patch that renames dma_buf_move_notify itself, with a compatibility definition',
      diff: `${header('drivers/dma-buf/dma-buf.c')}@@ -1254,14 +1254,14 @@ void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach,
 EXPORT_SYMBOL_NS_GPL(dma_buf_unmap_attachment_unlocked, "DMA_BUF");
 
 /**
- * dma_buf_move_notify - notify attachments that DMA-buf is moving
+ * dma_buf_invalidate_mappings - notify attachments that DMA-buf is moving
  *
  * @dmabuf:	[in]	buffer which is moving
  */
-void dma_buf_move_notify(struct dma_buf *dmabuf)
+void dma_buf_invalidate_mappings(struct dma_buf *dmabuf)
 {
 	struct dma_buf_attachment *attach;
 
@@ -1272,3 +1272,5 @@ void dma_buf_move_notify(struct dma_buf *dmabuf)
 			attach->importer_ops->invalidate_mappings(attach);
 }
 EXPORT_SYMBOL_NS_GPL(dma_buf_invalidate_mappings, "DMA_BUF");
+/* transitional: dma_buf_move_notify() callers are converted in this patch */
+#define dma_buf_move_notify(d) dma_buf_invalidate_mappings(d)
`,
    },
    {
      name: 'function names and comments that merely contain move_notify',
      diff: `${header('drivers/gpu/drm/foo/foo_prime.c')}@@ -40,6 +40,16 @@ static int foo_pin(struct dma_buf_attachment *attach)
 	return 0;
 }
 
+/* foo_dma_buf_move_notify - called from dma_buf_invalidate_mappings() */
+static void foo_dma_buf_move_notify(struct dma_buf_attachment *attach)
+{
+	struct foo_bo *bo = attach->importer_priv;
+
+	foo_bo_move_notify(bo);
+}
+
+static const struct dma_buf_attach_ops foo_attach_ops = {
+	.invalidate_mappings = foo_dma_buf_move_notify,
+};
 static void foo_unpin(struct dma_buf_attachment *attach)
 {
 }
`,
    },
    {
      name: 'documentation text is not a build use',
      diff: `${header('Documentation/driver-api/dma-buf.rst')}@@ -10,3 +10,4 @@ Shared DMA Buffers
 dma-buf importers
 =================
 
+Older kernels called dma_buf_move_notify() and needed CONFIG_DMABUF_MOVE_NOTIFY.
`,
    },
    {
      name: 'comment body line whose opening is above the hunk, and the dma-buf core itself',
      diff: `${header('include/linux/dma-buf.h')}@@ -418,3 +418,4 @@ struct dma_buf {
 	 * - Dynamic importers should set fences for any access that they can't
+	 *   disable immediately from their &dma_buf_attach_ops.move_notify
 	 *   callback.
${header('drivers/gpu/drm/foo/foo_bo.c')}@@ -10,3 +10,4 @@ struct foo_bo {
 	/*
+	 * foo_bo_evict() is called from our .move_notify callback
 	 */
`,
    },
  ],
  invalid: [
    {
      name: 'new importer ops initialised with .move_notify',
      diff: `${header('drivers/gpu/drm/foo/foo_prime.c')}@@ -40,6 +40,10 @@ static int foo_pin(struct dma_buf_attachment *attach)
 	return 0;
 }
 
+static const struct dma_buf_attach_ops foo_attach_ops = {
+	.allow_peer2peer = true,
+	.move_notify = foo_invalidate,
+};
 static void foo_unpin(struct dma_buf_attachment *attach)
 {
 }
`,
      errors: [{ file: 'drivers/gpu/drm/foo/foo_prime.c', line: 45, messageId: 'field' }],
    },
    {
      name: 'new call of dma_buf_move_notify() in an exporter revoke path',
      diff: `${header('drivers/misc/bar/bar_dmabuf.c')}@@ -100,6 +100,9 @@ void bar_dmabuf_revoke(struct bar_dev *bdev)
 	struct bar_buf *priv = bdev->buf;
 
 	dma_resv_lock(priv->dmabuf->resv, NULL);
+	priv->revoked = true;
+	dma_buf_move_notify(priv->dmabuf);
+	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
 	dma_resv_unlock(priv->dmabuf->resv);
 }
 
`,
      errors: [{ file: 'drivers/misc/bar/bar_dmabuf.c', line: 104, messageId: 'call' }],
    },
    {
      name: 'Kconfig dependency and IS_ENABLED on the removed symbol',
      diff: `${header('drivers/gpu/drm/baz/Kconfig')}@@ -1,6 +1,7 @@
 config DRM_BAZ
 	tristate "Baz GPU"
 	depends on DRM && PCI
+	depends on DMABUF_MOVE_NOTIFY
 	select DRM_TTM
 	help
 	  Baz.
${header('drivers/gpu/drm/baz/baz_dma_buf.c')}@@ -20,6 +20,8 @@ static bool baz_p2p_ok(struct dma_buf_attachment *attach)
 {
 	struct baz_bo *bo = attach->importer_priv;
 
+	if (!IS_ENABLED(CONFIG_DMABUF_MOVE_NOTIFY))
+		return false;
 	return attach->peer2peer && baz_bo_in_vram(bo);
 }
 
`,
      errors: [
        { file: 'drivers/gpu/drm/baz/Kconfig', line: 4, messageId: 'config' },
        { file: 'drivers/gpu/drm/baz/baz_dma_buf.c', line: 23, messageId: 'config' },
      ],
    },
    {
      name: 'calling the importer callback through ->move_notify',
      diff: `${header('drivers/gpu/drm/qux/qux_import.c')}@@ -60,6 +60,8 @@ static void qux_evict(struct qux_bo *bo)
 {
 	struct dma_buf_attachment *attach = bo->attach;
 
+	if (attach->importer_ops && attach->importer_ops->move_notify)
+		attach->importer_ops->move_notify(attach);
 	qux_bo_unbind(bo);
 }
 
`,
      errors: [
        { file: 'drivers/gpu/drm/qux/qux_import.c', line: 63, messageId: 'field' },
        { file: 'drivers/gpu/drm/qux/qux_import.c', line: 64, messageId: 'field' },
      ],
    },
  ],
});
