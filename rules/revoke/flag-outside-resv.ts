// revoke/flag-outside-resv: the exporter's revoked flag must change under the resv, before the
// invalidate call, because its map callback reads the flag under that same lock.
import type { AssignFact, Fact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { isResvLock, resvStateAt } from '../engine/analysis/revoke-resv-state.ts';
import {
  isFalseValue,
  isInvalidateCall,
  isRevokedFlag,
  newFunctions,
  onOnePath,
} from '../engine/analysis/revoke-sequence.ts';
import { isNewUse } from '../engine/analysis/revoke-hunk-lines.ts';
import { INVALIDATE_WORDS, RESV_ACQUIRE_WORDS } from '../engine/analysis/revoke-reads.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

function isFlagWrite(f: Fact): f is AssignFact {
  return f.kind === 'assign' && f.changed && isRevokedFlag(f.lhs);
}

/** The invalidate call that precedes facts[i] on its path, with no hidden code between. */
function invalidateBefore(fn: FunctionFacts, i: number): Fact | undefined {
  const at = fn.facts[i];
  if (!at) return undefined;
  for (let j = i - 1; j >= 0; j--) {
    const f = fn.facts[j];
    if (!f || f.kind === 'gap') return undefined;
    if (isInvalidateCall(f) && onOnePath(f.conditions, at.conditions) && f.conditions.length <= at.conditions.length)
      return f;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'revoke/flag-outside-resv',
    severity: 'error',
    description: "Sets the exporter's revoked flag outside the resv lock or after the invalidate call",
    messages: {
      afterUnlock:
        '`{{text}}` changes the revoked flag after {{resv}} was dropped at line {{other}}; the map callback reads the flag under that resv, so an importer can map between the unlock and this store (or keep a mapping past the revoke). Set the flag between dma_resv_lock() and dma_resv_unlock().',
      beforeLock:
        '`{{text}}` changes the revoked flag before {{fn}} takes {{resv}} at line {{other}}; the map callback reads the flag under that resv, so the store races with new mappings. Move it after dma_resv_lock().',
      afterInvalidate:
        '`{{text}}` sets the revoked flag only after the invalidate call at line {{other}}; importers told to unmap can re-map at once and still see the old flag value. Set the flag before calling dma_buf_invalidate_mappings().',
    },
    triggers: ['revoked'],
    scope: 'patch',
    // Each function is judged alone; every message needs a resv acquisition or an invalidate call in it.
    reads: [...RESV_ACQUIRE_WORDS, ...INVALIDATE_WORDS],
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const fn of newFunctions(ctx.functions)) {
      const acquires = fn.facts.filter((f) => isResvLock(f) && f.op === 'acquire');
      fn.facts.forEach((f, i) => {
        if (!isFlagWrite(f) || !isNewUse(patch, fn.file, f.line)) return;
        const base = { patch: patch.index, file: fn.file, line: f.line, side: 'new' as const };
        const at = acquires.length > 0 ? resvStateAt(fn, i) : undefined;
        if (at?.state === 'free' && at.releasedAt) {
          ctx.report({ ...base, messageId: 'afterUnlock', data: { text: f.text, resv: at.releasedAt.target, other: at.releasedAt.line } });
          return;
        }
        const inv = invalidateBefore(fn, i);
        if (inv && !isFalseValue(f.rhs)) {
          ctx.report({ ...base, messageId: 'afterInvalidate', data: { text: f.text, other: inv.line } });
          return;
        }
        // Only a function that takes the resv itself shows that its caller does not hold it.
        if (at?.state !== 'free') return;
        const later = acquires.find((a) => a.line > f.line && onOnePath(a.conditions, f.conditions));
        if (later && later.kind === 'lock')
          ctx.report({ ...base, messageId: 'beforeLock', data: { text: f.text, fn: functionLabel(fn), resv: later.target, other: later.line } });
      });
    }
  },
});
