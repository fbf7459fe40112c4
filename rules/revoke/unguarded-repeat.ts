// revoke/unguarded-repeat: the revoke drops the mapping kref (whose release completes the
// completion) and waits; run twice, the second put underflows and the second wait never returns.
import type { AssignFact, Fact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import {
  callsTo,
  flagName,
  isCompletionWait,
  isFalseValue,
  isRevokedFlag,
  baseOf,
  newFunctions,
  onOnePath,
} from '../engine/analysis/revoke-sequence.ts';
import { isNewUse } from '../engine/analysis/revoke-hunk-lines.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

/** True when any code before index `end` reads the flag (a condition, or a copy like was = p->revoked). */
function readsFlag(fn: FunctionFacts, name: string, end: number, exclude: Fact): boolean {
  const re = new RegExp(`\\b${name}\\b`);
  return fn.facts.slice(0, end + 1).some(
    (f) =>
      f.conditions.some((c) => re.test(c)) ||
      (f !== exclude && f.kind === 'assign' && re.test(f.rhs)) ||
      (f.kind === 'call' && f.callee !== 'kref_put' && /^(?:READ_ONCE|test_bit|test_and_set_bit|xchg|cmpxchg)/.test(f.callee) && re.test(f.text)),
  );
}

export default defineRule({
  meta: {
    id: 'revoke/unguarded-repeat',
    severity: 'warning',
    description: 'Drops the mapping kref and waits in a revoke path that can run on an already revoked buffer',
    messages: {
      repeat:
        '`{{text}}` drops the mapping kref and {{fn}} then waits on {{comp}}, but `{{flag}}` is set without looking at its old value; on a buffer that is already revoked the kref is already zero, so this put underflows and the completion, consumed by the first revoke, is never signalled again. Skip the put and the wait when the flag was already set.',
    },
    triggers: ['kref_put'],
    scope: 'patch',
    // Each function is judged alone, and a report needs its wait_for_completion*() (rarer than kref_put).
    reads: ['wait_for_completion*'],
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const fn of newFunctions(ctx.functions)) {
      // The guard could be anywhere above: without the start of the function, stay silent.
      if (!fn.prefixKnown) continue;
      const flags = fn.facts.filter(
        (f): f is AssignFact => f.kind === 'assign' && isRevokedFlag(f.lhs) && !isFalseValue(f.rhs),
      );
      for (const flag of flags) {
        const name = flagName(flag.lhs);
        if (flag.conditions.some((c) => new RegExp(`\\b${name}\\b`).test(c))) continue;
        const base = baseOf(flag.lhs);
        const put = callsTo(fn, 'kref_put').find(
          (c) => c.line > flag.line && baseOf(c.args[0] ?? '') === base && onOnePath(c.conditions, flag.conditions),
        );
        if (!put) continue;
        const pi = fn.facts.indexOf(put);
        const wait = fn.facts
          .slice(pi + 1)
          .find((f) => isCompletionWait(f) && baseOf(f.kind === 'wait' ? f.target : '') === base && onOnePath(f.conditions, put.conditions));
        if (!wait || wait.kind !== 'wait') continue;
        if (fn.facts.slice(0, pi).some((f) => f.kind === 'gap') || readsFlag(fn, name, pi, flag)) continue;
        const anchor = [put, wait, flag].find((f) => f.changed && isNewUse(patch, fn.file, f.line));
        if (!anchor) continue;
        ctx.report({
          messageId: 'repeat',
          patch: patch.index,
          file: fn.file,
          line: anchor.line,
          side: 'new',
          data: { text: anchor.text, fn: functionLabel(fn), comp: wait.target, flag: flag.text },
          related: [
            { label: 'flag set unconditionally', patch: patch.index, file: fn.file, line: flag.line, side: 'new' },
            { label: 'wait', patch: patch.index, file: fn.file, line: wait.line, side: 'new' },
          ],
        });
      }
    }
  },
});
