import rule from '../../../rules/refcount/leak-on-error.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { plus } from '../revoke/exporter-snippets.ts';

const F = 'drivers/gpu/drm/foo/foo_sync.c';

const fn = (body: string): string => fileDiff(F, { start: 10, body: plus(`static int foo_wait_fd(struct foo_ctx *ctx, int fd)\n{\n${body}\n}`) });

const cases: RuleCases = {
  valid: [
    { name: 'the get failing holds nothing', diff: fn('\tstruct dma_fence *fence = sync_file_get_fence(fd);\n\n\tif (!fence)\n\t\treturn -EINVAL;\n\tdma_fence_put(fence);\n\treturn 0;') },
    { name: 'error path drops the reference', diff: fn('\tstruct dma_fence *fence = sync_file_get_fence(fd);\n\tint ret;\n\n\tif (!fence)\n\t\treturn -EINVAL;\n\tret = foo_check(ctx, fence);\n\tif (ret) {\n\t\tdma_fence_put(fence);\n\t\treturn ret;\n\t}\n\tctx->fence = fence;\n\treturn 0;') },
    { name: 'error path unwinds through a label that puts', diff: fn('\tstruct dma_buf *dmabuf = dma_buf_get(fd);\n\tint ret;\n\n\tif (IS_ERR(dmabuf))\n\t\treturn PTR_ERR(dmabuf);\n\tret = foo_import(ctx, dmabuf);\n\tif (ret)\n\t\tgoto err_put;\n\treturn 0;\n\nerr_put:\n\tdma_buf_put(dmabuf);\n\treturn ret;') },
    { name: 'reference handed to an owner before the error exit', diff: fn('\tstruct dma_fence *fence = dma_fence_get(ctx->last);\n\n\tctx->pending = fence;\n\tif (foo_busy(ctx))\n\t\treturn -EBUSY;\n\treturn 0;') },
    { name: 'error exit above the hunk-visible label: silent', diff: fn('\tstruct dma_buf *dmabuf = dma_buf_get(fd);\n\n\tif (IS_ERR(dmabuf))\n\t\treturn PTR_ERR(dmabuf);\n\tif (foo_import(ctx, dmabuf))\n\t\tgoto out_unknown;\n\treturn 0;').replace('+}', ' }') },
    { name: 'reference stored in the job at once (the job owns it)', diff: fn('\tint ret;\n\n\tctx->done = dma_fence_get(&ctx->job->finished);\n\tret = foo_push(ctx);\n\tif (ret)\n\t\treturn ret;\n\treturn 0;') },
  ],
  invalid: [
    {
      name: 'early return leaks the fence',
      diff: fn('\tstruct dma_fence *fence = sync_file_get_fence(fd);\n\tint ret;\n\n\tif (!fence)\n\t\treturn -EINVAL;\n\tret = foo_check(ctx, fence);\n\tif (ret)\n\t\treturn ret;\n\tdma_fence_put(fence);\n\treturn 0;'),
      errors: [{ file: F, line: 19 }],
    },
    {
      name: 'goto to a label that skips the put',
      diff: fn('\tstruct dma_buf *dmabuf = dma_buf_get(fd);\n\tint ret;\n\n\tif (IS_ERR(dmabuf))\n\t\treturn PTR_ERR(dmabuf);\n\tret = foo_import(ctx, dmabuf);\n\tif (ret)\n\t\tgoto out;\n\tdma_buf_put(dmabuf);\nout:\n\treturn ret;'),
      errors: [{ file: F, line: 19 }],
    },
    {
      // The second function takes no reference (the rule does not read it); its error exits change nothing.
      name: 'early return leaks the fence, next to a function without a get',
      diff: fileDiff(F, {
        start: 10,
        body: plus(`static int foo_wait_fd(struct foo_ctx *ctx, int fd)
{
	struct dma_fence *fence = sync_file_get_fence(fd);
	int ret;

	if (!fence)
		return -EINVAL;
	ret = foo_check(ctx, fence);
	if (ret)
		return ret;
	dma_fence_put(fence);
	return 0;
}

static int foo_check_fd(struct foo_ctx *ctx, int fd)
{
	if (fd < 0)
		return -EINVAL;
	return foo_check(ctx, ctx->fence);
}`),
      }),
      errors: [{ file: F, line: 19 }],
    },
    {
      name: 'get_file then -ENOMEM without fput',
      diff: fn('\tstruct foo_job *job;\n\n\tget_file(ctx->file);\n\tjob = kzalloc(sizeof(*job), GFP_KERNEL);\n\tif (!job)\n\t\treturn -ENOMEM;\n\tjob->file = ctx->file;\n\treturn 0;'),
      errors: [{ file: F, line: 17 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
