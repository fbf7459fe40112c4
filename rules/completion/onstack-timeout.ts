// An on-stack completion lives as long as the waiting function. A timed or interruptible wait can
// return before the completer has signalled; if the completer still holds &done, its later
// complete() writes into a stack frame that has since been reused: memory corruption, or a waiter
// woken by a stale wake-up.
import { defineRule } from '../engine/define-rule.ts';
import type { Fact, FunctionFacts, WaitFact } from '../engine/types.ts';
import { sameUseDeleted } from '../engine/analysis/hunk-line-context.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

/** Waits that can return without the completion having been signalled. */
const EARLY_RETURN_WAITS = [
  'wait_for_completion_timeout', 'wait_for_completion_interruptible', 'wait_for_completion_killable',
  'wait_for_completion_interruptible_timeout', 'wait_for_completion_killable_timeout', 'wait_for_completion_io_timeout',
  'wait_for_completion_state',
];
const EARLY_RETURN_WAIT = new RegExp(`^(?:${EARLY_RETURN_WAITS.join('|')})$`);
/** Unbounded waits for the same completion: after one, the completer is done with it. */
const FULL_WAIT = /^wait_for_completion(?:_io)?$/;
/** Calls that take back what was handed to the completer (cancel the request, stop the timer, ...). */
const RETRACT = /cancel|kill|abort|flush|_sync$|del_timer|timer_delete|timer_shutdown|kthread_stop|synchronize|stop|unlink|dequeue|remove|reset|_put$|wait_for_/;
const INIT = /^(?:init_completion|reinit_completion|init_completion_dmap|complete|complete_all|completion_done|try_wait_for_completion)$/;

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The local that makes the completion on-stack: the completion itself or a struct holding it. */
function onStackOwner(fn: FunctionFacts, target: string): string | null {
  const own = fn.locals[target];
  if (own !== undefined) {
    if (/^DECLARE_COMPLETION_ONSTACK(?:_MAP)?\(/.test(own)) return target;
    return /^struct completion\b/.test(own) && !own.includes('*') && !own.includes('[') ? target : null;
  }
  // `req.done` with `struct foo_req req;` on the stack.
  const m = /^([A-Za-z_]\w*)\.\w/.exec(target);
  const base = m?.[1];
  const decl = base ? fn.locals[base] : undefined;
  if (!base || !decl) return null;
  return /^struct\s+\w+\s+\w+$/.test(decl) ? base : null;
}

/** Where the address of the completion (or of its on-stack owner) is handed to other code. */
function handoff(fn: FunctionFacts, target: string, owner: string): Fact | undefined {
  const addr = new RegExp(`&\\s*(?:${esc(target)}|${esc(owner)})(?![\\w.]|->)|&\\s*${esc(target)}\\b`);
  return fn.facts.find((f) => {
    if (f.kind === 'call') return !INIT.test(f.callee) && !/^wait_for_completion/.test(f.callee) && f.args.some((a) => addr.test(a));
    if (f.kind === 'assign') return addr.test(f.rhs);
    return false;
  });
}

/** Facts after the wait until the function ends; null when hidden code may follow (gap, cut-off). */
function rest(fn: FunctionFacts, from: number): Fact[] | null {
  const out: Fact[] = [];
  for (let k = from + 1; k < fn.facts.length; k++) {
    const f = fn.facts[k];
    if (!f) continue;
    if (f.kind === 'gap') return null;
    out.push(f);
  }
  return fn.suffixKnown || out.some((f) => f.kind === 'return') ? out : null;
}

export default defineRule({
  meta: {
    id: 'completion/onstack-timeout',
    severity: 'error',
    description: 'Waits with a timeout or interruptibly on an on-stack completion and can return while the completer may still signal it',
    messages: {
      onStack:
        '{{wait}}(&{{target}}) can return on {{why}} while the completer, reached through {{handoff}}, may still signal the on-stack completion {{target}}; once {{fn}} returns, the late complete() writes into a dead stack frame. On that path cancel the request (or wait for it without timeout) before returning, or allocate the completion with the request and reference-count it.',
    },
    triggers: EARLY_RETURN_WAITS,
    scope: 'patch',
    // A finding is at one of these waits, judged within its own function.
    reads: EARLY_RETURN_WAITS,
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new') continue;
      fn.facts.forEach((f, i) => {
        if (f.kind !== 'wait' || !f.changed || !EARLY_RETURN_WAIT.test(f.primitive)) return;
        if (sameUseDeleted(ctx.patch, fn.file, f.line, f.primitive)) return;
        const w: WaitFact = f;
        const owner = onStackOwner(fn, w.target);
        if (!owner) return;
        const given = handoff(fn, w.target, owner);
        if (!given) return;
        const after = rest(fn, i);
        if (!after) return;
        const safe = after.some(
          (a) =>
            (a.kind === 'wait' && a.target === w.target && FULL_WAIT.test(a.primitive)) ||
            (a.kind === 'call' && RETRACT.test(a.callee)) ||
            (a.kind === 'assign' && given.kind === 'assign' && a.lhs === given.lhs),
        );
        if (safe) return;
        const why = /timeout/.test(w.primitive) ? (/interruptible|killable|state/.test(w.primitive) ? 'timeout or a signal' : 'timeout') : 'a signal';
        ctx.report({
          patch: fn.patch,
          file: fn.file,
          line: w.line,
          side: 'new',
          messageId: 'onStack',
          data: {
            wait: w.primitive,
            target: w.target,
            why,
            handoff: given.kind === 'assign' ? `${given.lhs} = ${given.rhs}` : given.kind === 'call' ? `${given.callee}()` : 'a pointer',
            fn: functionLabel(fn),
          },
          related: [{ label: 'handed to the completer', patch: fn.patch, file: fn.file, line: given.line, side: 'new' }],
        });
      });
    }
  },
});
