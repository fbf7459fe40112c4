// dma-fence/ops-wait-unannotated: DEPT annotates the fence core's own sleep
// (dma_fence_default_wait()); a driver's dma_fence_ops.wait that sleeps by itself (its own
// schedule() loop, waitqueue, completion or msleep() polling) waits for the fence's signal in a
// way DEPT cannot tie to the fence, so a signaller that needs what this waiter holds goes unseen.
import type { CallFact, Fact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { addsText, codeOnly, deletedTexts, isCFile, postImageOf } from '../engine/analysis/hunk-text.ts';
import type { PostImageLine } from '../engine/analysis/hunk-text.ts';
import { SET_STATE_CALLS, isDeptImplementation } from '../engine/analysis/dept-primitives.ts';
import { functionsNamed, wholeBody } from '../engine/analysis/revoke-sequence.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';
import { squash } from '../engine/analysis/c-expr.ts';

/** Calls that put the task to sleep. */
const SLEEPS =
  /^(?:schedule(?:_timeout\w*|_hrtimeout\w*|_preempt_disabled)?|io_schedule(?:_timeout)?|freezable_schedule\w*|wait_event\w*|swait_event\w*|wait_var_event\w*|wait_for_completion\w*|wait_on_bit\w*|msleep\w*|ssleep|fsleep|usleep_range\w*)$/;

/** DEPT hooks, or the annotated default wait the callback delegates to. */
const ANNOTATED = /^(?:sdt_\w+|dept_\w+|dma_fence_default_wait|__dma_fence_default_wait)$/;

/** `.wait = foo_fence_wait,` */
const WAIT_INIT = /^\s*\.wait\s*=\s*&?([A-Za-z_]\w*)\s*,?\s*$/;
const OPS_OPEN = /\bstruct\s+dma_fence_ops\b[^;]*=\s*\{/;

const isCall = (f: Fact): f is CallFact => f.kind === 'call';

/** True when a `struct dma_fence_ops ... = {` opens above line i of the same hunk and is not closed before it. */
function inFenceOps(lines: ReadonlyArray<PostImageLine | null>, code: readonly string[], i: number): boolean {
  for (let k = i - 1; k >= 0 && lines[k]; k--) {
    const text = code[k] ?? '';
    if (OPS_OPEN.test(text)) return true;
    if (/[{};]/.test(text.replace(/^\s*\.\w+\s*=\s*[^,;{}]*,?\s*$/, ''))) return false;
  }
  return false;
}

/** The signature of dma_fence_ops.wait: (struct dma_fence *, bool intr, signed long timeout). */
function hasWaitSignature(fn: FunctionFacts): boolean {
  const p = fn.params ?? [];
  return p.length === 3 && /\bstruct\s+dma_fence\s*\*/.test(p[0] ?? '') && /\bbool\b/.test(p[1] ?? '') && /\blong\b/.test(p[2] ?? '');
}

/**
 * The first sleep of the callback, or of a helper it calls whose whole body the series shows (one
 * level: a thin .wait wrapper around the driver's wait function); undefined when the callback or
 * that helper is annotated, delegates to the default wait, or does not visibly sleep.
 */
function sleepIn(named: (name: string) => FunctionFacts[], body: FunctionFacts): { fn: FunctionFacts; sleep: CallFact } | undefined {
  const calls = body.facts.filter(isCall);
  if (calls.some((c) => ANNOTATED.test(c.callee))) return undefined;
  const sleep = calls.find((c) => SLEEPS.test(c.callee));
  if (sleep) return { fn: body, sleep };
  for (const c of calls) {
    const helper = functionsNamed(named(c.callee), c.callee, body.file).find(wholeBody);
    if (!helper || helper === body) continue;
    const inner = helper.facts.filter(isCall);
    if (inner.some((f) => ANNOTATED.test(f.callee))) return undefined;
    const s = inner.find((f) => SLEEPS.test(f.callee));
    if (s) return { fn: helper, sleep: s };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'dma-fence/ops-wait-unannotated',
    severity: 'warning',
    description: 'Adds a dma_fence_ops.wait callback that sleeps by itself without DEPT annotation',
    messages: {
      unannotated:
        '`{{init}}` installs {{cb}} as dma_fence_ops.wait, and it sleeps by itself (`{{sleep}}` in {{sleeper}} at line {{sleepLine}}) without sdt_might_sleep_start()/sdt_might_sleep_end() and without going through dma_fence_default_wait(): the wake-up it waits for is the driver\'s own (waitqueue, completion, polling), not the fence signal DEPT tracks, and every fence wait of this driver funnels into this one site, so a signaller that needs something a waiter holds is not reported against the fence. Drop the custom .wait (deprecated for new drivers) and let dma_fence_default_wait() sleep, or bracket the sleep with sdt_might_sleep_start(NULL)/sdt_might_sleep_end().',
    },
    triggers: ['dma_fence_ops', 'dma_fence'],
    requires: ['dma_fence_ops', 'dma_fence'],
    // Reads no function by its words: the callback and the helper it calls are looked up by the
    // name `.wait =` gives (ctx.functionsNamed), every version of them, whatever they mention.
    reads: [],
    scope: 'series',
    supersedes: ['dept/unannotated-sleep-loop'],
  },
  check(ctx) {
    for (const patch of ctx.series.patches) {
      for (const file of patch.files) {
        if (!isCFile(file.path) || file.status === 'deleted' || isDeptImplementation(file.path)) continue;
        // Reports only at an added `.wait =` line; comments blanked never make one.
        if (!addsText(file, '.wait')) continue;
        const lines = [...postImageOf(patch, file)];
        const code = codeOnly(lines.map((l) => l?.text ?? ''));
        const removed = deletedTexts(file).map(squash);
        lines.forEach((l, i) => {
          const cb = WAIT_INIT.exec(code[i] ?? '')?.[1];
          if (!l?.added || !cb || cb === 'dma_fence_default_wait') return;
          // A moved or re-indented initializer is not a new callback.
          if (removed.includes(squash(l.text))) return;
          const versions = ctx.functionsNamed(cb);
          const body = functionsNamed(versions, cb, file.path).find(wholeBody) ?? functionsNamed(versions, cb).find(wholeBody);
          if (!body || isDeptImplementation(body.file)) return;
          if (!inFenceOps(lines, code, i) && !hasWaitSignature(body)) return;
          const found = sleepIn(ctx.functionsNamed, body);
          if (!found) return;
          const { fn: sleeper, sleep } = found;
          const states = sleeper.facts.filter(isCall).filter((c) => SET_STATE_CALLS.includes(c.callee));
          ctx.report({
            messageId: 'unannotated',
            patch: patch.index,
            file: file.path,
            line: l.line,
            side: 'new',
            data: { init: l.text.trim().replace(/,$/, ''), cb: functionLabel(cb), sleep: sleep.text.replace(/;$/, ''), sleeper: functionLabel(sleeper.name ?? cb), sleepLine: sleep.line },
            related: [sleep, ...states].map((f) => ({ label: `${f.callee}() in ${functionLabel(sleeper.name ?? cb)}`, patch: sleeper.patch, file: sleeper.file, line: f.line, side: 'new' as const })),
          });
        });
      }
    }
  },
});
