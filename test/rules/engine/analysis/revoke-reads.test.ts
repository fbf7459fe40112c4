import { beforeAll, describe, expect, it } from 'vitest';
import { defineRule } from '../../../../rules/engine/define-rule.ts';
import { readsIndex } from '../../../../rules/engine/reads.ts';
import { isResvLock } from '../../../../rules/engine/analysis/revoke-resv-state.ts';
import { isInvalidateCall, isSignal } from '../../../../rules/engine/analysis/revoke-sequence.ts';
import { INVALIDATE_WORDS, RESV_ACQUIRE_WORDS, RESV_RELEASE_WORDS, UNMAP_EVENT_WORDS } from '../../../../rules/engine/analysis/revoke-reads.ts';
import type { Fact } from '../../../../rules/engine/types.ts';
import { fnOf, loadCParser } from './fixture.ts';

beforeAll(() => loadCParser());

/** True when `text` mentions one of `words` as rules' meta.reads match them. */
function mentions(words: readonly string[], text: string): boolean {
  const rule = defineRule({ meta: { id: 't/words', severity: 'info', description: 'd', messages: { m: 'm' }, triggers: [], scope: 'patch', reads: [...words] }, check: () => undefined });
  return readsIndex([rule]).filterFor(rule)?.fn({ text: () => text }) ?? false;
}

/** Each statement yields a fact the predicate accepts, and the words cover the statement. */
function covers(words: readonly string[], holds: (f: Fact) => boolean, statements: string[]): void {
  for (const s of statements) {
    it(s, () => {
      const fn = fnOf(['static int f(struct o *obj, struct ww_acquire_ctx *ctx)', '{', ...s.split('\n').map((l) => `\t${l}`), '\treturn 0;', '}']);
      expect(fn.facts.some(holds), 'the statement gives the fact').toBe(true);
      expect(mentions(words, s), 'the words cover it').toBe(true);
    });
  }
}

describe('RESV_ACQUIRE_WORDS: every resv acquisition', () => {
  covers(RESV_ACQUIRE_WORDS, (f) => isResvLock(f) && f.op === 'acquire', [
    'dma_resv_lock(obj->resv, NULL);',
    'dma_resv_lock_interruptible(obj->resv, ctx);',
    'dma_resv_lock_slow(obj->resv, ctx);',
    'dma_resv_lock_slow_interruptible(obj->resv, ctx);',
    'if (!dma_resv_trylock(obj->resv))\n\treturn -EBUSY;',
    'ww_mutex_lock(&obj->resv->lock, ctx);',
    'ww_mutex_lock_interruptible(&obj->resv->lock, ctx);',
    'ww_mutex_lock_slow(&obj->resv->lock, ctx);',
    'ww_mutex_lock_slow_interruptible(&obj->resv->lock, ctx);',
    'if (!ww_mutex_trylock(&obj->resv->lock, ctx))\n\treturn -EBUSY;',
    'guard(dma_resv)(obj->resv);',
    'scoped_guard(dma_resv, obj->resv) {\n\tx(obj);\n}',
    'scoped_cond_guard(dma_resv_intr, return -EINTR, obj->resv) {\n\tx(obj);\n}',
  ]);
  it('does not take a mere resv user', () => {
    expect(mentions(RESV_ACQUIRE_WORDS, 'dma_resv_assert_held(obj->resv); dma_resv_add_fence(obj->resv, f, u);')).toBe(false);
  });
});

describe('RESV_RELEASE_WORDS: every resv release', () => {
  covers(RESV_RELEASE_WORDS, (f) => isResvLock(f) && f.op === 'release', ['dma_resv_unlock(obj->resv);', 'ww_mutex_unlock(&obj->resv->lock);']);
});

describe('INVALIDATE_WORDS: every invalidate call', () => {
  covers(INVALIDATE_WORDS, isInvalidateCall, ['dma_buf_invalidate_mappings(obj->dmabuf);', 'dma_buf_move_notify(obj->dmabuf);']);
});

describe('UNMAP_EVENT_WORDS: every signal and kref_put unmapEventFor() looks at', () => {
  covers(UNMAP_EVENT_WORDS, isSignal, [
    'complete(&obj->comp);',
    'complete_all(&obj->comp);',
    'wake_up(&obj->wq);',
    'wake_up_all(&obj->wq);',
    'wake_up_interruptible(&obj->wq);',
    'wake_up_var(&obj->nr);',
  ]);
  covers(UNMAP_EVENT_WORDS, (f) => f.kind === 'call' && /^kref_put/.test(f.callee), [
    'kref_put(&obj->kref, obj_done);',
    'kref_put_mutex(&obj->kref, obj_done, &obj->lock);',
    'kref_put_lock(&obj->kref, obj_done, &obj->slock);',
  ]);
});
