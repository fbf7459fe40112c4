// dma-buf/resv-not-held: the invalidate/pin/map APIs assert the dma_buf's reservation lock; the
// resv is what orders an exporter's invalidation against importers' map and unmap.
import type { FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { isResvLock, resvStateAt } from '../engine/analysis/revoke-resv-state.ts';
import { newFunctions, onOnePath } from '../engine/analysis/revoke-sequence.ts';
import { isNewUse } from '../engine/analysis/revoke-hunk-lines.ts';
import { normExpr } from '../engine/analysis/c-expr.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';
import { RESV_ACQUIRE_WORDS } from '../engine/analysis/revoke-reads.ts';

/** API -> the resv it needs, from its first argument. */
const NEEDS: Record<string, (arg: string) => string> = {
  dma_buf_invalidate_mappings: (a) => `${a}->resv`,
  dma_buf_move_notify: (a) => `${a}->resv`,
  dma_buf_pin: (a) => `${a}->dmabuf->resv`,
  dma_buf_unpin: (a) => `${a}->dmabuf->resv`,
  dma_buf_map_attachment: (a) => `${a}->dmabuf->resv`,
  dma_buf_unmap_attachment: (a) => `${a}->dmabuf->resv`,
  dma_resv_add_fence: (a) => a,
  dma_resv_reserve_fences: (a) => a,
};

/** map/unmap need the resv only on a dynamic attachment: one this function got from dma_buf_dynamic_attach(). */
const DYNAMIC_ONLY = new Set(['dma_buf_map_attachment', 'dma_buf_unmap_attachment']);

/** The implementation of these primitives lives here; its internal calls are not uses. */
const IMPLEMENTATION_FILES = new Set(['drivers/dma-buf/dma-buf.c', 'drivers/dma-buf/dma-resv.c']);

function isDynamic(fn: FunctionFacts, attach: string): boolean {
  return fn.facts.some((f) => f.kind === 'call' && f.callee === 'dma_buf_dynamic_attach' && normExpr(f.assignedTo ?? '') === attach);
}

export default defineRule({
  meta: {
    id: 'dma-buf/resv-not-held',
    severity: 'error',
    description: 'Calls a dma-buf API that requires the reservation lock where the function visibly does not hold it',
    messages: {
      afterUnlock:
        '`{{text}}` needs {{resv}} held ({{api}}() asserts it), but {{fn}} dropped the resv at line {{other}}; without it the call races with importers mapping and unmapping. Call it before dma_resv_unlock(), or retake the lock around it.',
      beforeLock:
        '`{{text}}` needs {{resv}} held ({{api}}() asserts it), but {{fn}} only takes the resv later, at line {{other}}; here nothing orders it against importers mapping and unmapping. Move the call after dma_resv_lock().',
    },
    triggers: Object.keys(NEEDS),
    scope: 'patch',
    // Each function is judged alone, and only one that takes the resv itself (rarer than NEEDS' APIs).
    reads: [...RESV_ACQUIRE_WORDS],
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const fn of newFunctions(ctx.functions)) {
      if (IMPLEMENTATION_FILES.has(fn.file) || (fn.name !== null && Object.hasOwn(NEEDS, fn.name))) continue;
      const acquires = fn.facts.filter((f) => isResvLock(f) && f.op === 'acquire');
      // Only a function that takes the resv itself shows that its caller does not hold it.
      if (acquires.length === 0) continue;
      fn.facts.forEach((c, i) => {
        if (c.kind !== 'call' || !Object.hasOwn(NEEDS, c.callee) || !c.changed || !isNewUse(patch, fn.file, c.line)) return;
        const arg = normExpr(c.args[0] ?? '');
        if (!arg || (DYNAMIC_ONLY.has(c.callee) && !isDynamic(fn, arg))) return;
        const at = resvStateAt(fn, i);
        if (at.state !== 'free') return;
        const data = { text: c.text, api: c.callee, fn: functionLabel(fn), resv: NEEDS[c.callee]?.(arg) ?? 'the resv' };
        const base = { patch: patch.index, file: fn.file, line: c.line, side: 'new' as const };
        if (at.releasedAt) {
          ctx.report({ ...base, messageId: 'afterUnlock', data: { ...data, other: at.releasedAt.line } });
          return;
        }
        const later = acquires.find((a) => a.line > c.line && onOnePath(a.conditions, c.conditions));
        if (later) ctx.report({ ...base, messageId: 'beforeLock', data: { ...data, other: later.line } });
      });
    }
  },
});
