import rule from '../../../rules/refcount/use-after-put.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { plus, releaseAndUnmap, correctRevoke } from '../revoke/exporter-snippets.ts';

const F = 'drivers/dma-buf/sync_foo.c';

const fn = (body: string): string => fileDiff(F, { start: 10, body: plus(`static int foo_op(struct foo_ctx *ctx, int fd)\n{\n${body}\n}`) });

const cases: RuleCases = {
  valid: [
    { name: 'kref_put whose release only completes (the revoke handshake)', diff: fileDiff('drivers/misc/foo/foo_dmabuf.c', { start: 10, body: `${plus(releaseAndUnmap)}\n+\n${plus(correctRevoke)}` }) },
    { name: 'pointer cleared after the put', diff: fn('\tdma_fence_put(ctx->fence);\n\tctx->fence = NULL;\n\treturn 0;') },
    { name: 'put on an error branch that returns', diff: fn('\tif (foo_check(ctx)) {\n\t\tdma_buf_put(ctx->dmabuf);\n\t\treturn -EINVAL;\n\t}\n\tfoo_use(ctx->dmabuf->priv);\n\treturn 0;') },
    { name: 'fd_install last, then return the fd', diff: fn('\tfd_install(fd, ctx->sync_file->file);\n\treturn fd;') },
    {
      name: 'a helper without a put next to a clean put (the helper is not read)',
      diff: fileDiff(F, { start: 10, body: plus('static void foo_touch(struct foo_ctx *ctx)\n{\n\tctx->uses++;\n}\n\nstatic int foo_op(struct foo_ctx *ctx, int fd)\n{\n\tdma_fence_put(ctx->fence);\n\tctx->fence = NULL;\n\treturn 0;\n}') }),
    },
    {
      name: 'deleted use after put',
      diff: fileDiff(F, { start: 40, section: 'static int foo_op(struct foo_ctx *ctx, int fd)', body: ' \tdma_fence_put(fence);\n-\ttrace_foo_fence(fence);\n \treturn 0;' }),
    },
    {
      name: 'list iterator after the put moves to the next entry',
      diff: fn('\tdma_buf_put(dmabuf);\n\tlist_for_each_entry_continue(dmabuf, &foo_list, node) {\n\t\tif (file_ref_get(&dmabuf->file->f_ref))\n\t\t\treturn 0;\n\t}\n\treturn -ENOENT;'),
    },
    { name: 'out-parameter and iterator after the put overwrite the pointer', diff: fn('\tdma_fence_put(ctx->moving);\n\tret = dma_resv_get_singleton(ctx->resv, DMA_RESV_USAGE_KERNEL, &ctx->moving);\n\treturn ret;') },
    {
      name: 'member kref put whose release is not in the series (the demo revoke shape)',
      diff: fileDiff('drivers/gpu/drm/demo/demo_dmabuf.c', {
        start: 50,
        body: plus(`void demo_dmabuf_revoke(struct demo_buffer *buf)
{
	kref_put(&buf->mappings, demo_mappings_release);
	wait_for_completion(&buf->unmapped);
}`),
      }),
    },
    {
      name: 'release defined in an earlier patch only completes',
      diff: [
        fileDiff('drivers/misc/foo/foo_dmabuf.c', { start: 10, body: plus(releaseAndUnmap) }),
        fileDiff('drivers/misc/foo/foo_dmabuf.c', {
          start: 60,
          body: plus(`void foo_buf_drain(struct foo_buf *priv)
{
	kref_put(&priv->kref, foo_buf_done);
	wait_for_completion(&priv->comp);
}`),
        }),
      ],
    },
    {
      // The release names no put: it is read for its `struct kref` parameter. Unseen, the put of a
      // `refcount` member would be taken as freeing.
      name: 'lifetime-named kref whose release in another patch visibly keeps the container',
      diff: [
        fileDiff(F, {
          start: 10,
          body: plus(`static void foo_ctx_unused(struct kref *ref)
{
	struct foo_ctx *ctx = container_of(ref, struct foo_ctx, refcount);

	wake_up_all(&ctx->wq);
}`),
        }),
        fn('\tkref_put(&ctx->refcount, foo_ctx_unused);\n\tdev_dbg(ctx->dev, "dropped\\n");\n\treturn 0;'),
      ],
    },
    {
      name: 'lifetime kref put whose result is tested',
      diff: fn('\tif (kref_put(&ctx->refcount, foo_ctx_free))\n\t\treturn 0;\n\tfoo_touch(ctx->dev);\n\treturn 1;'),
    },
    {
      name: 'handshake kref named kref whose release (named *_done) is out of view',
      diff: fn('\tkref_put(&ctx->kref, foo_ctx_done);\n\twait_for_completion(&ctx->comp);\n\treturn 0;'),
    },
  ],
  invalid: [
    {
      name: 'tracepoint after dma_fence_put',
      diff: fn('\tstruct dma_fence *fence = ctx->fence;\n\n\tdma_fence_put(fence);\n\ttrace_foo_fence_done(fence);\n\treturn 0;'),
      errors: [{ file: F, line: 15, messageId: 'afterPut' }],
    },
    {
      name: 'field read after dma_buf_put',
      diff: fn('\tstruct dma_buf *dmabuf = dma_buf_get(fd);\n\n\tfoo_import(ctx, dmabuf);\n\tdma_buf_put(dmabuf);\n\tpr_debug("imported %zu bytes\\n", dmabuf->size);\n\treturn 0;'),
      errors: [{ file: F, line: 16, messageId: 'afterPut' }],
    },
    {
      name: 'sync_file touched after fd_install published it',
      diff: fn('\tstruct sync_file *sync_file = sync_file_create(ctx->fence);\n\n\tfd_install(fd, sync_file->file);\n\tsync_file->flags |= FOO_FLAG;\n\treturn fd;'),
      errors: [{ file: F, line: 15, messageId: 'afterPublish' }],
    },
    {
      name: 'kref_put with a freeing release, then unlock through the object',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static void foo_obj_release(struct kref *kref)
{
	struct foo_obj *obj = container_of(kref, struct foo_obj, ref);

	kfree(obj);
}

static void foo_obj_drop(struct foo_obj *obj)
{
	mutex_lock(&obj->lock);
	kref_put(&obj->ref, foo_obj_release);
	mutex_unlock(&obj->lock);
}`),
      }),
      errors: [{ file: F, line: 21, messageId: 'afterPut' }],
    },
    {
      name: 'kref_put_mutex whose release in another patch frees the container through kmem_cache_free',
      diff: [
        fileDiff(F, {
          start: 10,
          body: plus(`static void foo_obj_free(struct kref *ref)
{
	struct foo_obj *obj = container_of(ref, struct foo_obj, users);

	mutex_unlock(&foo_objs_lock);
	kmem_cache_free(foo_cache, obj);
}`),
        }),
        fileDiff(F, {
          start: 40,
          body: plus(`static void foo_obj_unuse(struct foo_obj *obj)
{
	kref_put_mutex(&obj->users, foo_obj_free, &foo_objs_lock);
	trace_foo_obj_unused(obj);
}`),
        }),
      ],
      errors: [{ file: F, line: 43, messageId: 'afterPut', patch: 2 }],
    },
    {
      // Only a hunk inside the release is shown (named by the hunk header): read for `kref`.
      name: 'kref put whose release, seen from inside in another patch, frees the container',
      diff: [
        fileDiff(F, {
          start: 20,
          section: 'static void foo_obj_free(struct kref *kref)',
          body: ' \tstruct foo_obj *obj = container_of(kref, struct foo_obj, users);\n \n+\tfoo_obj_teardown(obj);\n \tkfree(obj);',
        }),
        fileDiff(F, {
          start: 40,
          body: plus(`static void foo_obj_unuse(struct foo_obj *obj)
{
	kref_put(&obj->users, foo_obj_free);
	trace_foo_obj_unused(obj);
}`),
        }),
      ],
      errors: [{ file: F, line: 43, messageId: 'afterPut', patch: 2 }],
    },
    {
      name: 'lifetime refcount put with the release out of view',
      diff: fn('\tkref_put(&ctx->refcount, foo_ctx_release);\n\tdev_dbg(ctx->dev, "dropped\\n");\n\treturn 0;'),
      errors: [{ file: F, line: 13, messageId: 'afterPut' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
