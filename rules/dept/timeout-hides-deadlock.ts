import { defineRule } from '../engine/define-rule.ts';
import type { FunctionFacts, WaitFact } from '../engine/types.ts';
import { isDeptImplementation } from '../engine/analysis/dept-primitives.ts';
import { calleesWhere } from '../engine/facts/classify.ts';

type MessageId = 'hidesDeadlock' | 'hidesWait';

/** The wait family a primitive belongs to, so that only a wait replaced by its own timed form counts. */
function family(primitive: string): string | undefined {
  if (primitive.startsWith('wait_for_completion')) return 'completion';
  if (primitive.startsWith('wait_event') || primitive.startsWith('wait_var_event')) return 'waitqueue';
  if (primitive === 'dma_fence_wait' || primitive === 'dma_fence_wait_timeout') return 'fence';
  if (primitive === 'dma_resv_wait_timeout') return 'resv';
  if (primitive.startsWith('wait_on_bit')) return 'bit';
  return undefined;
}

/** The waits of the facts' classify table that take a timeout argument and have a family(). */
const TIMED_WAITS = calleesWhere((k) => k.kind === 'wait' && k.timeoutArg !== undefined).filter((n) => family(n) !== undefined);

const HANG_WORDS =
  /\b(?:hang|hangs|hung|hanging|dead-?lock\w*|lock-?ups?|stall\w*|stuck|freez\w*|wait(?:s|ing)? forever|blocks? forever|indefinitely|never (?:complete|completes|returns?|signal\w*|wakes?))\b/i;

/** The deleted unbounded waits of the pre-image of a function, keyed by family and target. */
function removedUnbounded(old: FunctionFacts | undefined): Map<string, WaitFact> {
  const out = new Map<string, WaitFact>();
  for (const f of old?.facts ?? []) {
    if (f.kind !== 'wait' || !f.changed || f.timeout !== 'none' || !f.target) continue;
    const fam = family(f.primitive);
    if (fam) out.set(`${fam}|${f.target}`, f);
  }
  return out;
}

export default defineRule<MessageId>({
  meta: {
    id: 'dept/timeout-hides-deadlock',
    severity: 'warning',
    description: 'Turns an unbounded wait into a finite-timeout wait, which DEPT ignores by default.',
    messages: {
      hidesDeadlock:
        '`{{text}}` replaces the unbounded {{old}}() on {{target}} with a finite timeout, and the commit message speaks of it ("{{word}}"): the timeout only hides that wait from DEPT (timed waits are ignored unless CONFIG_DEPT_AGGRESSIVE_TIMEOUT_WAIT=y) while the event it waits for still cannot arrive. Find the context that blocks the event (check with DEPT) and fix the dependency instead.',
      hidesWait:
        '`{{text}}` replaces the unbounded {{old}}() on {{target}} with a finite timeout; DEPT ignores timed waits unless CONFIG_DEPT_AGGRESSIVE_TIMEOUT_WAIT=y, so a dependency cycle through this wait is no longer reported. If the wait can really block forever, fix the missing event rather than bounding the wait.',
    },
    triggers: ['wait_for_completion', 'wait_event', 'wait_var_event', 'dma_fence_wait', 'dma_resv_wait_timeout', 'wait_on_bit', 'MAX_SCHEDULE_TIMEOUT'],
    scope: 'patch',
    // A finding is at a wait with a finite timeout and a family(): only the waits of the facts'
    // classify table that take a timeout argument give one. The pre-image it is compared with is
    // looked up by name (ctx.functionsNamed), not among the functions these words select.
    reads: TIMED_WAITS,
  },
  check(ctx) {
    const word = HANG_WORDS.exec(ctx.patch?.commitMessage ?? '')?.[0];
    for (const fn of ctx.functions) {
      if (fn.image !== 'new' || fn.name === null || isDeptImplementation(fn.file)) continue;
      // Only a function with a candidate wait needs its pre-image (a lookup that may parse it).
      if (!fn.facts.some((f) => f.kind === 'wait' && f.changed && f.timeout === 'finite' && family(f.primitive))) continue;
      // The first pre-image part of the function, even one without any of the words above.
      const name = fn.name;
      const old = ctx.functionsNamed(name).find((o) => o.image === 'old' && o.file === fn.file && o.name === name && o.patch === fn.patch);
      const removed = removedUnbounded(old);
      if (removed.size === 0) continue;
      for (const f of fn.facts) {
        if (f.kind !== 'wait' || !f.changed || f.timeout !== 'finite') continue;
        const fam = family(f.primitive);
        const before = fam ? removed.get(`${fam}|${f.target}`) : undefined;
        if (!before) continue;
        ctx.report({
          messageId: word ? 'hidesDeadlock' : 'hidesWait',
          patch: fn.patch,
          file: fn.file,
          line: f.line,
          data: { text: f.text, old: before.primitive, target: f.target, word: (word ?? '').toLowerCase() },
          related: [{ label: 'unbounded wait', patch: fn.patch, file: fn.file, line: before.line, side: 'old' }],
        });
      }
    }
  },
});
