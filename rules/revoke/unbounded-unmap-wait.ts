// revoke/unbounded-unmap-wait: an importer without .invalidate_mappings unmaps only when it is done
// with the buffer, so an unbounded wait for its unmap can hang; .attach must refuse such importers.
import type { FunctionFacts, WaitFact } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import {
  functionsNamed,
  isImporterWait,
  isInvalidateCall,
  newFunctions,
  wholeBody,
} from '../engine/analysis/revoke-sequence.ts';
import { initializerTargets, unmapEventFor } from '../engine/analysis/revoke-unmap-event.ts';
import { isNewUse } from '../engine/analysis/revoke-hunk-lines.ts';
import { UNMAP_EVENT_WORDS } from '../engine/analysis/revoke-reads.ts';

/** An attach callback refuses non-revocable importers when it asks dma_buf_attach_revocable() (or its test). */
function refusesUnrevocable(fn: FunctionFacts): boolean {
  return fn.facts.some(
    (f) =>
      (f.kind === 'call' && f.callee === 'dma_buf_attach_revocable') ||
      /\bdma_buf_attach_revocable\b|->\s*invalidate_mappings\b/.test(f.text) ||
      f.conditions.some((c) => /dma_buf_attach_revocable|invalidate_mappings/.test(c)),
  );
}

/** Prefixes of the importer waits this rule judges; `wait_…*` words for requires and reads. */
const UNBOUNDED_WAIT_PREFIXES = ['wait_for_completion', 'wait_event', 'wait_var_event'];
const UNBOUNDED_WAIT = new RegExp(`^(?:${UNBOUNDED_WAIT_PREFIXES.join('|')})`);
const UNBOUNDED_WAIT_WORDS = UNBOUNDED_WAIT_PREFIXES.map((p) => `${p}*`);

function isUnboundedUnmapWait(w: WaitFact): boolean {
  return w.timeout === 'none' && UNBOUNDED_WAIT.test(w.primitive);
}

export default defineRule({
  meta: {
    id: 'revoke/unbounded-unmap-wait',
    severity: 'warning',
    description: "Waits without bound for importer unmap while the exporter's .attach accepts non-revocable importers",
    messages: {
      unbounded:
        "`{{text}}` waits without a bound for every importer to unmap, but {{attach}}() (the exporter's .attach) accepts importers without checking dma_buf_attach_revocable(); a pinned importer without .invalidate_mappings unmaps only when it is done with the buffer, so this wait can hang forever. Refuse such importers in {{attach}}() (return -EOPNOTSUPP when !dma_buf_attach_revocable(attach)).",
    },
    // .attach and its refusal may be in other patches than the wait: their words make those parsed too.
    triggers: ['wait_for_completion', 'wait_event', 'wait_var_event', 'dma_buf_attach_revocable', 'dma_buf_attachment', 'dma_buf_ops'],
    scope: 'series',
    // Reports only at an importer wait that isUnboundedUnmapWait() accepts.
    requires: UNBOUNDED_WAIT_WORDS,
    // The functions it reads by their words: the wait's (its primitive) and the unmap path
    // unmapEventFor() finds (its signal or kref_put). Every version of .attach is found by name.
    reads: [...UNBOUNDED_WAIT_WORDS, ...UNMAP_EVENT_WORDS],
  },
  check(ctx) {
    const attaches = initializerTargets(ctx.series, 'attach');
    for (const fn of newFunctions(ctx.functions)) {
      const patch = ctx.series.patches.find((p) => p.index === fn.patch);
      if (!patch) continue;
      fn.facts.forEach((w, i) => {
        if (!isImporterWait(w) || !isUnboundedUnmapWait(w) || !w.changed || !isNewUse(patch, fn.file, w.line)) return;
        const revokePath = fn.facts.slice(0, i).some(isInvalidateCall) || unmapEventFor(ctx.series, ctx.functions, w.target);
        if (!revokePath) return;
        for (const [name, at] of attaches) {
          if (at.file !== fn.file) continue;
          const bodies = functionsNamed(ctx.functionsNamed(name), name, fn.file).filter(
            (b) => !b.params || b.params.some((p) => /dma_buf_attachment/.test(p)),
          );
          // Silent unless the whole .attach is visible, and no version of it in the series refuses.
          if (!bodies.some(wholeBody) || bodies.some(refusesUnrevocable)) continue;
          ctx.report({
            messageId: 'unbounded',
            patch: fn.patch,
            file: fn.file,
            line: w.line,
            side: 'new',
            data: { text: w.text, attach: name },
            related: [{ label: `.attach = ${name}`, patch: at.patch, file: at.file, line: at.line, side: 'new' }],
          });
          return;
        }
      });
    }
  },
});
