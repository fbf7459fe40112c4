// The timed waits return `long`: 0 = timed out, > 0 = jiffies left, < 0 = error. Read as a 0/-errno
// status, success looks like failure and a timeout looks like success, so the caller proceeds
// as if the fence had signalled (or gives up on a wait that worked).
import { defineRule } from '../engine/define-rule.ts';
import type { Patch } from '../../bot/model.ts';
import type { Fact, FunctionFacts } from '../engine/types.ts';
import { isAddedLine, postLineText, sameUseDeleted, sectionReturnType } from '../engine/analysis/hunk-line-context.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';
import { squash } from '../engine/analysis/c-expr.ts';

const TIMED_WAIT =
  /^(?:dma_fence_wait_timeout|dma_fence_wait_any_timeout|dma_resv_wait_timeout|wait_for_completion\w*_timeout|wait_event\w*_timeout)$/;

/**
 * Every callee TIMED_WAIT matches: a function the rule reports on calls one by name. The code a
 * patch replaced is read apart from these (ctx.functionsNamed), as it need not mention them.
 */
const TIMED_WAIT_WORDS = ['dma_fence_wait_timeout', 'dma_fence_wait_any_timeout', 'dma_resv_wait_timeout', 'wait_for_completion*', 'wait_event*'];

interface TimedWait {
  index: number;
  fact: Fact;
  primitive: string;
  /** The call text as C, whitespace removed, to recognise `if (wait(...))`. */
  callText?: string;
  assignedTo?: string;
  returned: boolean;
  timeout?: 'none' | 'finite' | 'unknown';
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Timed waits of a function, one per line and primitive (a wait may show as a wait and a call fact). */
function timedWaits(fn: FunctionFacts): TimedWait[] {
  const byKey = new Map<string, TimedWait>();
  fn.facts.forEach((f, index) => {
    const primitive = f.kind === 'wait' ? f.primitive : f.kind === 'call' ? f.callee : '';
    if (!TIMED_WAIT.test(primitive)) return;
    const key = `${f.line}:${primitive}`;
    const w: TimedWait = byKey.get(key) ?? { index, fact: f, primitive, returned: false };
    if (f.kind === 'call') {
      w.callText = squash(`${f.callee}(${f.args.join(',')})`);
      w.returned ||= f.returned === true;
      w.assignedTo ??= f.assignedTo;
    } else if (f.kind === 'wait') {
      w.assignedTo ??= f.assignedTo;
      w.timeout = f.timeout;
    }
    w.returned ||= new RegExp(`^return\\s+${esc(primitive)}\\s*\\(`).test(f.text);
    byKey.set(key, w);
  });
  return [...byKey.values()];
}

/** The function's return type: from its visible signature, else from the hunk's section header. */
function returnTypeOf(fn: FunctionFacts, patch: Patch | undefined): string | undefined {
  return fn.returnType ?? sectionReturnType(patch, fn.file, fn.facts[0]?.line ?? 0, fn.name);
}

const isErrnoValue = (v: string): boolean => /^(?:0|-E[A-Z0-9]+)$/.test(v.trim());

/**
 * True when the function visibly speaks 0/-errno: its type is not long, and it returns 0 elsewhere,
 * the variable holds 0 or -Exxx elsewhere, or the code this patch replaced returned 0/-Exxx.
 */
function errnoConvention(fn: FunctionFacts, v: string | undefined, returnType: string | undefined, old: () => FunctionFacts | undefined): boolean {
  if (returnType && (/\blong\b/.test(returnType) || !/\bint\b/.test(returnType))) return false;
  const own = fn.facts.some(
    (f) => (f.kind === 'return' && f.value.trim() === '0') || (v !== undefined && f.kind === 'assign' && f.lhs === v && f.op === '=' && isErrnoValue(f.rhs)),
  );
  return own || (old()?.facts.some((f) => f.kind === 'return' && f.changed && isErrnoValue(f.value)) ?? false);
}

/** A later fact changes `v` (or hides code), so the wait's value is no longer what is read. */
function overwritten(f: Fact, v: string): boolean {
  return f.kind === 'gap' || (f.kind === 'assign' && f.lhs === v) || (f.kind === 'call' && f.assignedTo === v) || (f.kind === 'wait' && f.assignedTo === v);
}

/** The conditions a fact is under beyond those of the wait itself. */
function extraConditions(wait: Fact, f: Fact): string[] | null {
  const base = wait.conditions;
  if (f.conditions.length < base.length || !base.every((c, i) => f.conditions[i] === c)) return null;
  return f.conditions.slice(base.length);
}

const unwrap = (c: string): string => squash(c).replace(/^(?:un)?likely\((.*)\)$/, '$1').replace(/^\((.*)\)$/, '$1');

/** `if (v)` / `if (v != 0)`: any non-zero value taken as the failure branch. */
function nonZeroTest(cond: string, v: string | undefined, callText: string | undefined): boolean {
  const c = unwrap(cond);
  const subjects = [v, callText].filter((s): s is string => !!s).map(squash);
  return subjects.some((s) => c === s || c === `${s}!=0` || c === `(${s})!=0`);
}

/** A value read as "the wait failed": only negative values are, and 0 is taken as success. */
function classifyReturnCondition(conds: string[], v: string): 'negativeOnly' | 'timeoutAsSuccess' | 'none' {
  for (const cond of conds) {
    const c = unwrap(cond);
    if (!new RegExp(`(?<![\\w>.])${esc(v)}(?!\\w)`).test(c)) continue;
    if (c === `${v}<0` || c === `0>${v}` || c === `IS_ERR_VALUE(${v})`) return 'negativeOnly';
    if (c === `${v}<=0` || c === `!${v}` || c === `${v}==0` || c === `0==${v}`) return 'timeoutAsSuccess';
  }
  return 'none';
}

const ERROR_LABEL = /err|fail|timeout|unwind|bail/i;

/** The block under `cond` ends in an error exit: return -Exxx / return v, -Exxx stored, goto err. */
function errorExitIn(facts: readonly Fact[], from: number, depthConds: number, v: string | undefined): Fact | null {
  for (let k = from; k < facts.length; k++) {
    const f = facts[k];
    if (!f || f.conditions.length < depthConds) break;
    if (f.kind === 'return' && (/^-E[A-Z0-9]+$/.test(f.value.trim()) || (v !== undefined && f.value.trim() === v))) return f;
    if (f.kind === 'assign' && f.op === '=' && /^-E[A-Z0-9]+$/.test(f.rhs.trim())) return f;
    if (f.kind === 'goto' && ERROR_LABEL.test(f.label)) return f;
  }
  return null;
}

/** Self-tests probe the return values on purpose (`!= 0` to assert a timeout). */
const TEST_FILE = /(?:^|\/)(?:selftests?|tests?|kunit)\/|(?:^|\/)st-[^/]*\.c$|[_-]test\.c$|(?:^|\/)test_[^/]*\.c$/;

export default defineRule({
  meta: {
    id: 'dma-fence/wait-return-misread',
    severity: 'error',
    description: 'Treats the long result of a timed wait (0 = timeout, > 0 = time left, < 0 = error) as a 0/-errno status',
    messages: {
      returnsRemaining:
        '{{primitive}}() returns the jiffies left (> 0) on success, 0 on timeout and -errno on error, but {{fn}} passes it on as its own 0/-errno status: callers will take a signalled {{what}} for a failure and a timeout for success. Convert it: `if (ret == 0) return -ETIMEDOUT; if (ret < 0) return ret; return 0;`.',
      truncated:
        '{{Fn}} returns int, but passes on the long result of {{primitive}}(..., MAX_SCHEDULE_TIMEOUT): on success that is MAX_SCHEDULE_TIMEOUT (LONG_MAX), which the int turns into -1, so every successful wait reaches the callers as an error. Return `ret < 0 ? ret : 0` instead.',
      returnsTimeoutAsSuccess:
        '{{Fn}} returns the result of {{primitive}}() when it is <= 0, so a timeout comes back as 0, which its callers read as success although the {{what}} never signalled. Return -ETIMEDOUT for 0.',
      nonZeroIsFailure:
        'In {{fn}}, `{{test}}` takes any non-zero result of {{primitive}}() as failure, but a positive value means the {{what}} signalled in time, and 0 means it timed out: success is treated as an error and the timeout as success. Test `== 0` for the timeout and `< 0` for errors.',
    },
    triggers: [
      'dma_fence_wait_timeout', 'dma_fence_wait_any_timeout', 'dma_resv_wait_timeout', 'wait_for_completion_timeout',
      'wait_for_completion_interruptible_timeout', 'wait_for_completion_killable_timeout', 'wait_for_completion_io_timeout',
      'wait_event_timeout', 'wait_event_interruptible_timeout', 'wait_event_killable_timeout', 'wait_event_idle_timeout',
      'wait_event_freezable_timeout', 'wait_event_lock_irq_timeout', 'wait_event_interruptible_lock_irq_timeout',
    ],
    reads: TIMED_WAIT_WORDS,
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new' || TEST_FILE.test(fn.file)) continue;
      for (const w of timedWaits(fn)) {
        const what = w.primitive.startsWith('dma_') ? 'fence' : w.primitive.startsWith('wait_event') ? 'condition' : 'completion';
        const data = { primitive: w.primitive, fn: functionLabel(fn), Fn: functionLabel(fn, { start: true }), what };
        const v = w.assignedTo;
        const returnType = returnTypeOf(fn, ctx.patch);
        // The function this patch replaced, found only when a verdict needs it.
        const old = (): FunctionFacts | undefined => (ctx.patch && fn.name !== null ? ctx.functionsNamed(fn.name).find((o) => o.image === 'old' && o.file === fn.file) : undefined);
        // The parse may lose a `return` when the hunk starts inside a comment: read the line itself.
        const returned = w.returned || new RegExp(`^\\s*return\\s+\\(?\\s*${w.primitive}\\s*\\(`).test(postLineText(ctx.patch, fn.file, w.fact.line) ?? '');
        // The use is in the call's own line (`return`, `ret =`, `if (`): a patch that changes only
        // argument lines, or re-words the call with the same use, does not make a new misuse.
        const waitIsNew = isAddedLine(ctx.patch, fn.file, w.fact.line) && !sameUseDeleted(ctx.patch, fn.file, w.fact.line, w.primitive);
        if (returned) {
          if (!waitIsNew) continue;
          const truncates = returnType !== undefined && /\bint\b/.test(returnType) && !/\blong\b/.test(returnType) && w.timeout === 'none';
          if (truncates || errnoConvention(fn, undefined, returnType, old)) {
            ctx.report({ patch: fn.patch, file: fn.file, line: w.fact.line, side: 'new', messageId: truncates ? 'truncated' : 'returnsRemaining', data });
          }
          continue;
        }
        const facts = fn.facts;
        for (let k = w.index + 1; k < facts.length; k++) {
          const f = facts[k];
          // The wait's own statement (its call, wait and `ret = ...` facts) is not a later use.
          if (!f || (f.line === w.fact.line && f.kind !== 'return')) continue;
          if (v !== undefined && overwritten(f, v)) break;
          const extra = extraConditions(w.fact, f);
          // The first fact of a block tested for non-zero: is that block a failure branch?
          const testAt = extra?.findIndex((c) => nonZeroTest(c, v, w.callText)) ?? -1;
          if (testAt >= 0) {
            const exit = errorExitIn(facts, k, w.fact.conditions.length + testAt + 1, v);
            if (exit && (waitIsNew || exit.changed)) {
              ctx.report({
                patch: fn.patch, file: fn.file, line: w.fact.line, side: 'new', messageId: 'nonZeroIsFailure',
                data: { ...data, test: `if (${extra?.[testAt] ?? ''})` },
                related: [{ label: 'failure branch', patch: fn.patch, file: fn.file, line: exit.line, side: 'new' }],
              });
            }
            break;
          }
          if (v === undefined || f.kind !== 'return' || f.value.trim() !== v || !extra) continue;
          if (!(waitIsNew || f.changed) || !errnoConvention(fn, v, returnType, old)) break;
          const how = classifyReturnCondition(extra, v);
          if (how !== 'negativeOnly') {
            ctx.report({
              patch: fn.patch, file: fn.file, line: f.line, side: 'new',
              messageId: how === 'timeoutAsSuccess' ? 'returnsTimeoutAsSuccess' : 'returnsRemaining', data,
              related: [{ label: 'wait', patch: fn.patch, file: fn.file, line: w.fact.line, side: 'new' }],
            });
          }
          // An unconditional return ends the path; a conditional one leaves the rest to be read.
          if (extra.length === 0) break;
        }
      }
    }
  },
});
