// completion/reuse-without-reinit: a completion, once completed and waited for, stays "done" only
// as long as its count says; re-arming the handshake (kref_init after a revoke) without
// reinit_completion() lets the next wait return at once, or wait for a count that was consumed.
import type { CallFact, Fact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import {
  baseOf,
  callsTo,
  isCompletionWait,
  isInvalidateCall,
  isRevokedFlag,
  krefReleases,
  memberOf,
  newFunctions,
  signalledBy,
  wholeBody,
} from '../engine/analysis/revoke-sequence.ts';
import { isNewUse } from '../engine/analysis/revoke-hunk-lines.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

/** The completion members that the kref's release signals, or that fn waits on after a put of it. */
function completionsOf(functions: readonly FunctionFacts[], fn: FunctionFacts, rearm: CallFact): string[] {
  const kref = memberOf(rearm.args[0] ?? '');
  const out = new Set<string>();
  for (const release of krefReleases(functions, kref)) for (const e of signalledBy(functions, release)) out.add(memberOf(e.target));
  const base = baseOf(rearm.args[0] ?? '');
  for (const f of fn.facts) if (isCompletionWait(f) && baseOf(f.target) === base) out.add(memberOf(f.target));
  return [...out];
}

/** fn re-arms (rather than constructs): it also puts the kref, waits, or is on a revoke path. */
function isRearmPath(fn: FunctionFacts, kref: string): boolean {
  return fn.facts.some(
    (f: Fact) =>
      (f.kind === 'call' && f.callee === 'kref_put' && memberOf(f.args[0] ?? '') === kref) ||
      isCompletionWait(f) ||
      isInvalidateCall(f) ||
      (f.kind === 'assign' && isRevokedFlag(f.lhs)),
  );
}

function reinits(fn: FunctionFacts, base: string, comp: string): boolean {
  return callsTo(fn, 'reinit_completion', 'init_completion', 'init_completion_dmap').some(
    (c) => memberOf(c.args[0] ?? '') === comp && baseOf(c.args[0] ?? '') === base,
  );
}

/** A wait on base->comp after index i with no gap before it, if visible. */
function nextWait(fn: FunctionFacts, i: number, base: string, comp: string): Fact | undefined {
  for (const f of fn.facts.slice(i + 1)) {
    if (f.kind === 'gap') return undefined;
    if (isCompletionWait(f) && memberOf(f.target) === comp && baseOf(f.target) === base) return f;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'completion/reuse-without-reinit',
    severity: 'warning',
    description: 'Re-arms a completion-based handshake (kref_init after a revoke) without reinit_completion()',
    messages: {
      rearm:
        '`{{text}}` re-arms the handshake whose release completes {{base}}->{{comp}}, but {{fn}} never calls reinit_completion(&{{base}}->{{comp}}); the completion still counts the earlier complete(), so the next wait_for_completion() returns before the importers have unmapped. Call reinit_completion() before the handshake can be used again.',
    },
    triggers: ['kref_init', 'refcount_set'],
    scope: 'patch',
    // A finding is at a kref_init() call. Other functions matter only through krefReleases() (calls
    // of kref_put*) and signalledBy() (a release callback's complete*()/wake_up*() events, isSignal):
    // a function without these words adds nothing to either, so the completions stay the same.
    reads: ['kref_init', 'kref_put', 'kref_put_mutex', 'kref_put_lock', 'complete', 'complete_all', 'wake_up*'],
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const fn of newFunctions(ctx.functions)) {
      fn.facts.forEach((f, i) => {
        if (f.kind !== 'call' || f.callee !== 'kref_init' || !f.changed || !isNewUse(patch, fn.file, f.line)) return;
        const arg = f.args[0] ?? '';
        const base = baseOf(arg);
        if (!isRearmPath(fn, memberOf(arg))) return;
        for (const comp of completionsOf(ctx.functions, fn, f)) {
          if (reinits(fn, base, comp)) continue;
          // Either all of fn is visible, or the next wait follows with nothing hidden in between.
          const visibleToWait = fn.prefixKnown && !fn.facts.slice(0, i).some((x) => x.kind === 'gap') && nextWait(fn, i, base, comp);
          if (!wholeBody(fn) && !visibleToWait) continue;
          ctx.report({
            messageId: 'rearm',
            patch: patch.index,
            file: fn.file,
            line: f.line,
            side: 'new',
            data: { text: f.text, base, comp, fn: functionLabel(fn) },
          });
          return;
        }
      });
    }
  },
});
