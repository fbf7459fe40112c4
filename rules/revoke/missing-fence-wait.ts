// revoke/missing-fence-wait: after invalidating, a revoke must let every in-flight fence retire
// (dma_resv_wait_timeout on the same resv, BOOKKEEP usage, no timeout) before dropping the resv.
import type { CallFact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { nextResvRelease, resvStateAt } from '../engine/analysis/revoke-resv-state.ts';
import {
  isInvalidateCall,
  isRevokedFlag,
  newFunctions,
  onOnePath,
} from '../engine/analysis/revoke-sequence.ts';
import { isNewUse } from '../engine/analysis/revoke-hunk-lines.ts';
import { INVALIDATE_WORDS } from '../engine/analysis/revoke-reads.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

const FENCE_WAITS = new Set(['dma_resv_wait_timeout', 'dma_resv_wait_timeout_rcu']);

/** A revoke path: it sets a revoked flag, or says so in its name. Movers (TTM) invalidate too. */
function isRevokePath(fn: FunctionFacts): boolean {
  return /revoke/i.test(fn.name ?? '') || fn.facts.some((f) => f.kind === 'assign' && isRevokedFlag(f.lhs));
}

type Verdict = { id: 'missing' } | { id: 'usage' | 'timeout'; wait: CallFact } | undefined;

/** What the code between the invalidate call (index i) and the resv release (index r) does. */
function judge(fn: FunctionFacts, i: number, r: number): Verdict {
  const inv = fn.facts[i];
  if (!inv) return undefined;
  const waits = fn.facts
    .slice(i + 1, r)
    .filter((f): f is CallFact => f.kind === 'call' && FENCE_WAITS.has(f.callee) && onOnePath(f.conditions, inv.conditions));
  if (waits.length === 0) return { id: 'missing' };
  for (const w of waits) {
    const usage = (w.args[1] ?? '').trim();
    const timeout = (w.args[3] ?? '').trim();
    if (usage === 'DMA_RESV_USAGE_BOOKKEEP' && timeout === 'MAX_SCHEDULE_TIMEOUT') return undefined;
    if (/^DMA_RESV_USAGE_(?:KERNEL|WRITE|READ)$/.test(usage)) return { id: 'usage', wait: w };
    if (usage === 'DMA_RESV_USAGE_BOOKKEEP' && /^(?:\d+|\w*(?:HZ|jiffies)\w*|msecs_to_jiffies\(.*\)|secs_to_jiffies\(.*\))$/i.test(timeout))
      return { id: 'timeout', wait: w };
  }
  // Usage or timeout held in variables: not visible, stay silent.
  return undefined;
}

export default defineRule({
  meta: {
    id: 'revoke/missing-fence-wait',
    severity: 'warning',
    description: 'Invalidates mappings but does not wait for all fences (BOOKKEEP, unbounded) before dropping the resv',
    messages: {
      missing:
        '`{{text}}` tells importers to unmap, but {{fn}} drops {{resv}} at line {{unlock}} without waiting for the fences already queued on it; importer DMA can still be running after the revoke returns. Call dma_resv_wait_timeout({{resv}}, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT) before dma_resv_unlock().',
      usage:
        '`{{text}}` waits only for {{usage}} fences after the invalidate call; importers\' BOOKKEEP fences are not waited for, so their DMA may still touch the buffer after the revoke. Use DMA_RESV_USAGE_BOOKKEEP, the widest usage.',
      timeout:
        '`{{text}}` waits for the fences with a finite timeout after the invalidate call; when it expires the revoke goes on while importer DMA is still in flight. Wait with MAX_SCHEDULE_TIMEOUT.',
    },
    triggers: ['dma_buf_invalidate_mappings', 'dma_buf_move_notify', 'dma_resv_wait_timeout'],
    scope: 'patch',
    // Each function is judged alone, from its invalidate call.
    reads: [...INVALIDATE_WORDS],
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const fn of newFunctions(ctx.functions)) {
      if (!isRevokePath(fn)) continue;
      fn.facts.forEach((inv, i) => {
        if (!isInvalidateCall(inv)) return;
        const at = resvStateAt(fn, i);
        if (at.state !== 'held') return;
        const r = nextResvRelease(fn, i);
        const unlock = fn.facts[r];
        if (r < 0 || !unlock || unlock.kind !== 'lock') return;
        const verdict = judge(fn, i, r);
        if (!verdict) return;
        const base = { patch: patch.index, file: fn.file, side: 'new' as const };
        if (verdict.id === 'missing') {
          if (!inv.changed || !isNewUse(patch, fn.file, inv.line)) return;
          ctx.report({ ...base, line: inv.line, messageId: 'missing', data: { text: inv.text, fn: functionLabel(fn), resv: unlock.target, unlock: unlock.line } });
          return;
        }
        const w = verdict.wait;
        if (!w.changed && !(inv.changed && isNewUse(patch, fn.file, inv.line))) return;
        const line = w.changed ? w.line : inv.line;
        ctx.report({ ...base, line, messageId: verdict.id, data: { text: w.text, usage: (w.args[1] ?? '').replace('DMA_RESV_USAGE_', '') } });
      });
    }
  },
});
