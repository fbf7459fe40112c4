// revoke/wait-under-resv: importers unmap with the resv held, so an exporter that waits for their
// unmap while holding that resv waits for an event that can only come after its own unlock.
import type { Fact, FunctionFacts, RelatedLocation } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { resvStateAt } from '../engine/analysis/revoke-resv-state.ts';
import { IMPORTER_WAIT_PREFIXES, isImporterWait, isInvalidateCall, newFunctions } from '../engine/analysis/revoke-sequence.ts';
import { unmapEventFor } from '../engine/analysis/revoke-unmap-event.ts';
import { RESV_ACQUIRE_WORDS, UNMAP_EVENT_WORDS } from '../engine/analysis/revoke-reads.ts';
import { isNewUse } from '../engine/analysis/revoke-hunk-lines.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

/** The invalidate call made under the same hold as the wait, if any (the revoke sequence). */
function invalidateUnderSameHold(fn: FunctionFacts, acquireLine: number, waitIndex: number): Fact | undefined {
  return fn.facts.slice(0, waitIndex).find((f) => f.line >= acquireLine && isInvalidateCall(f));
}

export default defineRule({
  meta: {
    id: 'revoke/wait-under-resv',
    severity: 'error',
    description: 'Waits for importers to unmap while holding the resv lock their unmap path needs',
    messages: {
      cycle:
        '`{{text}}` waits for importers to unmap while {{fn}} still holds {{resv}} (taken at line {{lockLine}}); importers unmap with that resv held, so {{event}} can only run after {{fn}} unlocks it: a deadlock. Call dma_resv_unlock() first and wait outside the lock.',
    },
    // The unmap path ([E]) may be in another patch than the wait: its words make that patch parsed too.
    triggers: ['dma_resv_lock', 'dma_resv_lock_interruptible', 'dma_resv_trylock', 'dma_buf_attachment', 'unmap_dma_buf', 'kref_put', 'complete', 'wake_up'],
    scope: 'series',
    supersedes: ['series/wait-event-cycle'],
    // Reports only at a WaitFact for which isImporterWait() holds (analysis/revoke-sequence.ts).
    requires: IMPORTER_WAIT_PREFIXES.map((p) => `${p}*`),
    // The wait's function visibly takes the resv; every function unmapEventFor() may pick as [E]
    // (first match, so all of them) has a signal or an unmap callback's kref_put.
    reads: [...RESV_ACQUIRE_WORDS, ...UNMAP_EVENT_WORDS],
  },
  check(ctx) {
    for (const fn of newFunctions(ctx.functions)) {
      const patch = ctx.series.patches.find((p) => p.index === fn.patch);
      if (!patch) continue;
      fn.facts.forEach((w, i) => {
        if (!isImporterWait(w) || !w.changed || !isNewUse(patch, fn.file, w.line)) return;
        const at = resvStateAt(fn, i);
        const lock = at.held[at.held.length - 1];
        if (at.state !== 'held' || !lock) return;
        const inv = invalidateUnderSameHold(fn, lock.line, i);
        const ev = unmapEventFor(ctx.series, ctx.functions, w.target);
        if (!inv && !ev) return;
        const related: RelatedLocation[] = [
          { label: `[S] ${lock.text}`, patch: fn.patch, file: fn.file, line: lock.line, side: 'new' },
          { label: `[W] ${w.text}`, patch: fn.patch, file: fn.file, line: w.line, side: 'new' },
        ];
        let event = 'the importers\' unmap';
        if (ev) {
          const where = ev.via ? `${functionLabel(ev.eventFn)} from ${functionLabel(ev.via.fn)}` : functionLabel(ev.eventFn);
          event = `${ev.event.primitive}()${ev.event.target ? ` on ${ev.event.target}` : ''} in ${where}`;
          related.push({ label: `[E] ${ev.event.text}`, patch: ev.eventFn.patch, file: ev.eventFn.file, line: ev.event.line, side: 'new' });
        } else if (inv) {
          related.push({ label: `[E] importers unmap after ${inv.text}`, patch: fn.patch, file: fn.file, line: inv.line, side: 'new' });
        }
        ctx.report({
          messageId: 'cycle',
          patch: fn.patch,
          file: fn.file,
          line: w.line,
          side: 'new',
          data: { text: w.text, fn: functionLabel(fn), resv: lock.target, lockLine: lock.line, event },
          related,
        });
      });
    }
  },
});
