import { defineRule } from '../engine/define-rule.ts';
import type { CallFact, Fact, FunctionFacts } from '../engine/types.ts';
import { SCHEDULE_CALLS, SET_STATE_CALLS, SLEEP_END, SLEEP_START, isDeptImplementation } from '../engine/analysis/dept-primitives.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'unannotated';

const isCall = (f: Fact, names: readonly string[]): f is CallFact => f.kind === 'call' && names.includes(f.callee);

/** set_current_state(TASK_RUNNING) ends a sleep; any other state prepares one. */
const setsRunning = (f: CallFact): boolean => /TASK_RUNNING/.test(f.args[0] ?? '');

/** An sdt_might_sleep_start*() before `sleep` whose end is after it (or not visible). */
function annotated(fn: FunctionFacts, sleep: Fact): boolean {
  return fn.facts.some((s) => {
    if (s.line > sleep.line || !isCall(s, SLEEP_START)) return false;
    const end = fn.facts.find((e) => e.line > s.line && isCall(e, [SLEEP_END]));
    return !end || end.line >= sleep.line;
  });
}

export default defineRule<MessageId>({
  meta: {
    id: 'dept/unannotated-sleep-loop',
    severity: 'warning',
    description: 'Open-codes set_current_state() + schedule() without sdt_might_sleep_start*/end, so DEPT cannot see the wait.',
    messages: {
      unannotated:
        '{{func}} sleeps by hand (`{{state}}` then {{sleep}}() at line {{sleepLine}}) outside wait_event*() and without sdt_might_sleep_start()/sdt_might_sleep_end(); DEPT does not see this wait, so a cycle through it (the waker needing something this task holds) goes unreported. Use a wait_event*() helper, or bracket the loop with sdt_might_sleep_start(NULL) and sdt_might_sleep_end().',
    },
    triggers: [...SET_STATE_CALLS],
    // A finding is at a set_current_state()-style call, judged within its own function.
    reads: [...SET_STATE_CALLS],
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new' || fn.name === null || isDeptImplementation(fn.file)) continue;
      const reported = new Set<Fact>();
      for (const state of fn.facts) {
        if (!isCall(state, SET_STATE_CALLS) || !state.changed || setsRunning(state)) continue;
        const rest = fn.facts.filter((f) => f.line > state.line);
        const sleep = rest.find((f) => isCall(f, SCHEDULE_CALLS) || (isCall(f, SET_STATE_CALLS) && setsRunning(f)) || f.kind === 'gap');
        if (!sleep || !isCall(sleep, SCHEDULE_CALLS) || reported.has(sleep) || annotated(fn, sleep)) continue;
        // With the start of the function unseen, an annotation may sit above the hunk: fire only for
        // a sleep the patch adds whole, with no sdt_might_sleep_end() after it.
        const endAfter = rest.some((f) => isCall(f, [SLEEP_END]));
        if (!fn.prefixKnown && (!sleep.changed || endAfter)) continue;
        reported.add(sleep);
        ctx.report({
          messageId: 'unannotated',
          patch: fn.patch,
          file: fn.file,
          line: state.line,
          data: { func: functionLabel(fn, { start: true }), state: state.text, sleep: sleep.callee, sleepLine: sleep.line },
        });
      }
    }
  },
});
