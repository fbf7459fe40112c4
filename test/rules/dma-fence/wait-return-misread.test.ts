import rule from '../../../rules/dma-fence/wait-return-misread.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { functionDiff } from '../../helpers/unified-diff.ts';

const FILE = 'drivers/gpu/drm/foo/foo_gem.c';

/** A diff of one whole function; its signature is new-side line 10. */
const fn = (header: string, body: string[], file = FILE): string => functionDiff(file, header, body);

const INT_FN = 'static int foo_wait_idle(struct foo_bo *bo)';

const diffOf = (file: string, lines: string[]): string =>
  [`diff --git a/${file} b/${file}`, 'index 1111111..2222222 100644', `--- a/${file}`, `+++ b/${file}`, ...lines, ''].join('\n');

/**
 * One function in three hunks; the middle one deletes nothing, so the pre-image has two parts of
 * foo_wait_idle(): the first decides, though only the last mentions a timed wait.
 */
const PRE_IMAGE_IN_TWO_PARTS = diffOf(FILE, [
  `@@ -12,3 +12,3 @@ ${INT_FN}`,
  ' \tfoo_lock(bo);',
  '-\tfoo_a(bo);',
  '+\tfoo_b(bo);',
  ' \tfoo_unlock(bo);',
  `@@ -20,2 +20,3 @@ ${INT_FN}`,
  ' \tfoo_c(bo);',
  '+\tfoo_d(bo);',
  ' \tfoo_e(bo);',
  `@@ -40,3 +41,3 @@ ${INT_FN}`,
  ' \t/* dma_fence_wait_timeout() gives the jiffies left */',
  '-\treturn 0;',
  '+\treturn dma_fence_wait_timeout(bo->fence, true, HZ);',
  ' }',
]);

const cases: RuleCases = {
  valid: [
    {
      name: 'converted properly',
      diff: fn(INT_FN, [
        '+\tlong ret;',
        '+',
        '+\tret = dma_resv_wait_timeout(bo->resv, DMA_RESV_USAGE_BOOKKEEP, true, HZ);',
        '+\tif (ret < 0)',
        '+\t\treturn ret;',
        '+\tif (ret == 0)',
        '+\t\treturn -ETIMEDOUT;',
        '+\treturn 0;',
      ]),
    },
    {
      name: 'a long function passes the convention on',
      diff: fn('static long foo_wait(struct foo_bo *bo, long timeout)', [
        '+\tif (!bo->fence)',
        '+\t\treturn 0;',
        '+\treturn dma_fence_wait_timeout(bo->fence, true, timeout);',
      ]),
    },
    {
      name: 'the misread only on deleted lines',
      diff: fn(INT_FN, [
        ' \tlong ret;',
        ' ',
        ' \tret = dma_fence_wait_timeout(bo->fence, true, HZ);',
        '-\tif (ret)',
        '-\t\treturn -EBUSY;',
        '+\tif (!ret)',
        '+\t\treturn -ETIMEDOUT;',
        ' \treturn 0;',
      ]),
    },
    {
      name: 'non-zero taken as success, and a wait whose value is replaced before the return',
      diff: fn(INT_FN, [
        '+\tlong ret;',
        '+',
        '+\tif (wait_for_completion_timeout(&bo->done, HZ)) {',
        '+\t\tfoo_account(bo);',
        '+\t\treturn 0;',
        '+\t}',
        '+\tret = dma_fence_wait_timeout(bo->fence, true, HZ);',
        '+\tret = ret > 0 ? 0 : (ret ?: -ETIMEDOUT);',
        '+\treturn ret;',
      ]),
    },
    {
      name: 'negative-only return, and an untimed wait (0/-errno already)',
      diff: fn(INT_FN, [
        '+\tlong ret;',
        '+',
        '+\tret = dma_fence_wait(bo->fence, true);',
        '+\tif (ret)',
        '+\t\treturn ret;',
        '+\tret = wait_for_completion_interruptible_timeout(&bo->done, HZ);',
        '+\tif (ret < 0)',
        '+\t\treturn ret;',
        '+\treturn 0;',
      ]),
    },
    {
      name: 'a self-test asserting a timeout on purpose',
      diff: fn(
          'static int test_wait(void *arg)',
          [
            '+\tif (dma_fence_wait_timeout(f, false, HZ) != 0) {',
            '+\t\tpr_err("Wait reported complete before being signaled\\n");',
            '+\t\tgoto err_free;',
            '+\t}',
            '+\treturn 0;',
          ],
          'drivers/dma-buf/st-dma-fence.c',
        ),
    },
    {
      name: 'only an argument line of an existing returned wait changes',
      diff: [
        'diff --git a/drivers/infiniband/core/umem_dmabuf.c b/drivers/infiniband/core/umem_dmabuf.c',
        'index 1111111..2222222 100644',
        '--- a/drivers/infiniband/core/umem_dmabuf.c',
        '+++ b/drivers/infiniband/core/umem_dmabuf.c',
        '@@ -68,5 +68,5 @@ int ib_umem_dmabuf_map_pages(struct ib_umem_dmabuf *umem_dmabuf)',
        ' \t */',
        ' \treturn dma_resv_wait_timeout(umem_dmabuf->attach->dmabuf->resv,',
        '-\t\t\t\t     DMA_RESV_USAGE_WRITE,',
        '+\t\t\t\t     DMA_RESV_USAGE_KERNEL,',
        ' \t\t\t\t     false, MAX_SCHEDULE_TIMEOUT);',
        ' }',
        '',
      ].join('\n'),
    },
    {
      name: 'an existing returned wait whose arguments change only (not a new misuse)',
      diff: [
        'diff --git a/drivers/infiniband/core/umem_dmabuf.c b/drivers/infiniband/core/umem_dmabuf.c',
        'index 1111111..2222222 100644',
        '--- a/drivers/infiniband/core/umem_dmabuf.c',
        '+++ b/drivers/infiniband/core/umem_dmabuf.c',
        '@@ -67,6 +67,7 @@ int ib_umem_dmabuf_map_pages(struct ib_umem_dmabuf *umem_dmabuf)',
        ' \t * the migration.',
        ' \t */',
        '-\treturn dma_resv_wait_timeout(umem_dmabuf->attach->dmabuf->resv, false,',
        '+\treturn dma_resv_wait_timeout(umem_dmabuf->attach->dmabuf->resv,',
        '+\t\t\t\t     DMA_RESV_USAGE_WRITE,',
        ' \t\t\t\t     false, MAX_SCHEDULE_TIMEOUT);',
        ' }',
        '',
      ].join('\n'),
    },
    {
      // The rule reads only functions naming a timed wait; the pre-image is looked up apart from them.
      name: 'the first pre-image part of the function decides, though only a later one names the wait',
      diff: PRE_IMAGE_IN_TWO_PARTS,
    },
    {
      name: 'the replaced code returned a count, not a status',
      diff: fn(INT_FN, ['-\treturn foo_pending(bo);', '+\treturn dma_fence_wait_timeout(bo->fence, true, HZ);']),
    },
  ],
  invalid: [
    {
      // The pre-image (`return 0;`) names no timed wait, so the rule does not see it in ctx.functions.
      name: 'returned as is where the replaced code returned 0',
      diff: fn(INT_FN, ['-\treturn 0;', '+\treturn dma_fence_wait_timeout(bo->fence, true, HZ);']),
      errors: [{ file: FILE, line: 12, messageId: 'returnsRemaining' }],
    },
    {
      name: 'any non-zero value taken as failure',
      diff: fn(INT_FN, [
        '+\tlong ret;',
        '+',
        '+\tret = dma_resv_wait_timeout(bo->resv, DMA_RESV_USAGE_BOOKKEEP, true, HZ);',
        '+\tif (ret)',
        '+\t\treturn -EBUSY;',
        '+\treturn 0;',
      ]),
      errors: [{ file: FILE, line: 14, messageId: 'nonZeroIsFailure' }],
    },
    {
      name: 'the call itself tested, jumping to an error label',
      diff: fn(INT_FN, [
        '+\tif (wait_for_completion_timeout(&bo->done, msecs_to_jiffies(100)))',
        '+\t\tgoto err_timeout;',
        '+\treturn 0;',
        '+err_timeout:',
        '+\treturn -ETIMEDOUT;',
      ]),
      errors: [{ file: FILE, line: 12, messageId: 'nonZeroIsFailure' }],
    },
    {
      name: 'a zero-timeout poll that takes "signalled" (1) for busy',
      diff: fn(INT_FN, ['+\tif (dma_fence_wait_timeout(bo->fence, false, 0))', '+\t\treturn -EBUSY;', '+\treturn 0;']),
      errors: [{ file: FILE, line: 12, messageId: 'nonZeroIsFailure' }],
    },
    {
      name: 'an int function returns the unbounded wait (the umem_dmabuf shape: the hunk starts in a comment)',
      diff: [
        'diff --git a/drivers/infiniband/core/umem_dmabuf.c b/drivers/infiniband/core/umem_dmabuf.c',
        'index 1111111..2222222 100644',
        '--- a/drivers/infiniband/core/umem_dmabuf.c',
        '+++ b/drivers/infiniband/core/umem_dmabuf.c',
        '@@ -68,9 +67,8 @@ int ib_umem_dmabuf_map_pages(struct ib_umem_dmabuf *umem_dmabuf)',
        ' \t * may be not up-to-date. Wait for the exporter to finish',
        ' \t * the migration.',
        ' \t */',
        '-\tfence = dma_resv_excl_fence(umem_dmabuf->attach->dmabuf->resv);',
        '-\tif (fence)',
        '-\t\treturn dma_fence_wait(fence, false);',
        '-',
        '-\treturn 0;',
        '+\treturn dma_resv_wait_timeout(umem_dmabuf->attach->dmabuf->resv, false,',
        '+\t\t\t\t     false, MAX_SCHEDULE_TIMEOUT);',
        ' }',
        ' EXPORT_SYMBOL(ib_umem_dmabuf_map_pages);',
        '',
      ].join('\n'),
      errors: [{ file: 'drivers/infiniband/core/umem_dmabuf.c', line: 70, messageId: 'truncated' }],
    },
    {
      name: 'returned as is from a 0/-errno function',
      diff: fn(INT_FN, [
        '+\tif (!bo->fence)',
        '+\t\treturn 0;',
        '+\treturn dma_fence_wait_timeout(bo->fence, true, HZ);',
      ]),
      errors: [{ file: FILE, line: 14, messageId: 'returnsRemaining' }],
    },
    {
      name: 'returned when <= 0: a timeout comes back as success',
      diff: fn(INT_FN, [
        '+\tlong ret;',
        '+',
        '+\tret = dma_fence_wait_timeout(bo->fence, true, HZ);',
        '+\tif (ret <= 0)',
        '+\t\treturn ret;',
        '+\tfoo_account(bo);',
        '+\treturn 0;',
      ]),
      errors: [{ file: FILE, line: 16, messageId: 'returnsTimeoutAsSuccess' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
