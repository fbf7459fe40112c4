import { defineRule } from '../engine/define-rule.ts';
import type { Fact } from '../engine/types.ts';
import { mentions, normExpr } from '../engine/analysis/c-expr.ts';
import { CHARGE_CALLS, chargesOf, testsOwnResult } from '../engine/analysis/cma-charges.ts';
import { factsBetween, firstLabelAfter, isErrorExit, walkFromLabel } from '../engine/analysis/cma-unwind.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'leak';

/** A fact that drops or hands on the limit pool: the put, any call that gets it, or a copy of it. */
function releasesOrHandsOn(f: Fact, limit: string): boolean {
  if (f.kind === 'call') return f.args.some((a) => normExpr(a) === limit || mentions(a, limit));
  if (f.kind === 'assign') return mentions(f.rhs, limit);
  return false;
}

export default defineRule<MessageId>({
  meta: {
    id: 'cma/limit-pool-leak',
    severity: 'warning',
    description: 'dmem_cgroup_try_charge() with a limit-pool pointer returns on failure without dmem_cgroup_pool_state_put().',
    messages: {
      leak:
        '`{{exit}}` leaves {{func}} when dmem_cgroup_try_charge() failed, but on -EAGAIN the charge handed back a reference in {{limit}} (line {{chargeLine}}) and nothing drops it; every over-limit allocation leaks a pool state. Call dmem_cgroup_pool_state_put({{limit}}) on that path (it accepts NULL).',
    },
    triggers: ['dmem_cgroup_try_charge'],
    // Sound: the rule reads only functions with a try_charge charge, and nothing outside them.
    reads: [CHARGE_CALLS.try_charge.callee],
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new') continue;
      for (const c of chargesOf(fn)) {
        if (c.kind !== 'try_charge') continue;
        const raw = (c.fact.args[3] ?? '').replace(/\s+/g, '');
        const limit = normExpr(raw);
        // Only a local the caller owns: a pointer passed in means the caller's caller puts it.
        if (!raw.startsWith('&') || !/^\w+$/.test(limit) || fn.locals[limit] === undefined) continue;
        const cleanupStart = firstLabelAfter(fn, c.fact.line);
        for (const exit of fn.facts) {
          if (exit.line <= c.fact.line || exit.line >= cleanupStart || !isErrorExit(fn, exit)) continue;
          if (!(c.fact.changed || exit.changed) || !testsOwnResult(fn, c, exit)) continue;
          if (exit.conditions.some((cond) => /!=\s*-EAGAIN/.test(cond))) continue;
          if (factsBetween(fn, c.fact.line, exit.line + 1).some((f) => f !== exit && releasesOrHandsOn(f, limit))) continue;
          if (exit.kind === 'return' && mentions(exit.value, limit)) continue;
          if (exit.kind === 'goto' && walkFromLabel(fn, exit.label, (f) => releasesOrHandsOn(f, limit)) !== 'end') continue;
          ctx.report({
            messageId: 'leak',
            patch: fn.patch,
            file: fn.file,
            line: exit.line,
            data: { exit: exit.text, func: functionLabel(fn), limit, chargeLine: c.fact.line },
            related: [{ label: 'charge', patch: fn.patch, file: fn.file, line: c.fact.line }],
          });
        }
      }
    }
  },
});
