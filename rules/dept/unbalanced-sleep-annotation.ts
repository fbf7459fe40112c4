import { defineRule } from '../engine/define-rule.ts';
import type { Fact, FunctionFacts } from '../engine/types.ts';
import { SLEEP_END, SLEEP_START, isDeptImplementation } from '../engine/analysis/dept-primitives.ts';
import { findLabel } from '../engine/analysis/cma-unwind.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'returns' | 'jumpsOut';

const isStart = (f: Fact): boolean => f.kind === 'call' && SLEEP_START.includes(f.callee);
const isEnd = (f: Fact): boolean => f.kind === 'call' && f.callee === SLEEP_END;

/** The end that closes a start: the next sdt_might_sleep_end() at the start's depth or shallower. */
function matchingEnd(fn: FunctionFacts, start: Fact): Fact | undefined {
  return fn.facts.find((f) => f.line > start.line && isEnd(f) && f.depth <= start.depth);
}

export default defineRule<MessageId>({
  meta: {
    id: 'dept/unbalanced-sleep-annotation',
    severity: 'error',
    description: 'Returns or jumps out between sdt_might_sleep_start*() and sdt_might_sleep_end().',
    messages: {
      returns:
        '`{{exit}}` leaves {{func}} between {{start}}() at line {{startLine}} and sdt_might_sleep_end() at line {{endLine}}; the staged wait stays armed, so DEPT commits it at the next unrelated schedule() and reports dependencies that do not exist (or misses the real ones). Route the exit through a label placed before sdt_might_sleep_end().',
      jumpsOut:
        '`{{exit}}` jumps from between {{start}}() at line {{startLine}} and sdt_might_sleep_end() at line {{endLine}} to `{{label}}:` past the end; the staged wait stays armed, so DEPT commits it at the next unrelated schedule() and reports dependencies that do not exist. Put the label before sdt_might_sleep_end().',
    },
    triggers: SLEEP_START,
    // Every finding sits between a start and its end in one function: the start is a call by name.
    reads: SLEEP_START,
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new' || isDeptImplementation(fn.file)) continue;
      for (const start of fn.facts) {
        if (!isStart(start) || start.kind !== 'call') continue;
        const end = matchingEnd(fn, start);
        if (!end) continue; // the end is not visible: nothing to compare against
        for (const exit of fn.facts) {
          if (exit.line <= start.line || exit.line >= end.line) continue;
          if (!(start.changed || end.changed || exit.changed)) continue;
          const data = { exit: exit.text, func: functionLabel(fn), start: start.callee, startLine: start.line, endLine: end.line };
          if (exit.kind === 'return') {
            ctx.report({ messageId: 'returns', patch: fn.patch, file: fn.file, line: exit.line, data });
          } else if (exit.kind === 'goto') {
            const label = findLabel(fn, exit.label);
            // A label up to the end (or back before the start, which stages the wait afresh) is fine;
            // an unseen label is unknown.
            if (!label || label.line <= end.line) continue;
            ctx.report({ messageId: 'jumpsOut', patch: fn.patch, file: fn.file, line: exit.line, data: { ...data, label: exit.label } });
          }
        }
      }
    }
  },
});
