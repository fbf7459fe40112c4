// dept/completion-like-without-sdt: DEPT gives struct completion a wait class per call site
// (wait_for_completion*() are macros) and can attach a map per object (init_completion_dmap()).
// A home-made completion (a waitqueue plus a done flag, waited on inside a helper) gets none of
// that: with wait_event*() inside the helper every user shares the helper's one class, and with
// an open-coded prepare_to_wait()/schedule() DEPT does not see the wait at all.
import type { CallFact, Fact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { codeOnly, isCFile, postImageOf, seriesPostImage } from '../engine/analysis/hunk-text.ts';
import type { PostImageLine } from '../engine/analysis/hunk-text.ts';
import { isDeptImplementation } from '../engine/analysis/dept-primitives.ts';
import { baseOf, memberOf, newFunctions, wholeBody } from '../engine/analysis/revoke-sequence.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'sharedClass' | 'unseen';

/** A struct the series adds whole: a waitqueue and a done-style flag among a few members. */
interface Primitive {
  name: string;
  patch: number;
  file: string;
  line: number;
  waitqueue: string;
  flag: string;
}

/** Primitives are small; a device struct that happens to hold a waitqueue and a flag is not one. */
const MAX_MEMBERS = 5;
const STRUCT_OPEN = /^\s*struct\s+([A-Za-z_]\w*)\s*\{\s*$/;
const STRUCT_CLOSE = /^\s*\}\s*;\s*$/;
const WAITQUEUE = /^\s*(?:wait_queue_head_t|struct\s+wait_queue_head)\s+([A-Za-z_]\w*)\s*;/;
const FLAG =
  /^\s*(?:bool|int|unsigned(?:\s+int|\s+long)?|u8|u32|u64|atomic_t|long)\s+([A-Za-z_]\w*)\s*(?::\s*1\s*)?;/;
const FLAG_NAME = /^(?:\w+_)?(?:done|complete|completed|signaled|signalled|fired|triggered|finished|posted|ready)$/;
const WAIT_EVENT = /^wait_event\w*$/;
const PREPARE = /^prepare_to_wait\w*$/;
const SCHEDULE = /^(?:io_)?schedule(?:_timeout|_hrtimeout\w*)?$/;
const HOOK = /\b(?:sdt_\w+|dept_\w+)\s*\(/;

/** Structs whose every line (open to close) is added, with their members. */
function primitivesIn(lines: ReadonlyArray<PostImageLine | null>): Primitive[] {
  const code = codeOnly(lines.map((l) => l?.text ?? ''));
  const out: Primitive[] = [];
  lines.forEach((l, i) => {
    const name = STRUCT_OPEN.exec(code[i] ?? '')?.[1];
    if (!l?.added || !name) return;
    const members: string[] = [];
    for (let k = i + 1; k < lines.length; k++) {
      const m = lines[k];
      const text = code[k] ?? '';
      if (!m?.added) return;
      if (STRUCT_CLOSE.test(text)) break;
      if (/;\s*$/.test(text)) members.push(text);
      if (members.length > MAX_MEMBERS) return;
    }
    const waitqueue = members.map((t) => WAITQUEUE.exec(t)?.[1]).find((x) => x);
    const flag = members.map((t) => FLAG.exec(t)?.[1]).find((x) => x !== undefined && FLAG_NAME.test(x));
    if (waitqueue && flag) out.push({ name, patch: l.patch, file: l.file, line: l.line, waitqueue, flag });
  });
  return out;
}

/**
 * True when `v` is a parameter of fn declared as `struct name *`: the function is a wait helper that
 * callers hand their object to (a wait on a local object is a one-off, not a primitive).
 */
function paramOf(fn: FunctionFacts, v: string, name: string): boolean {
  const decl = new RegExp(`\\bstruct\\s+${name}\\s*\\*\\s*${v}$`);
  return (fn.params ?? []).some((p) => decl.test(p.trim()));
}

/** The first added unbounded wait in fn on prim's waitqueue, through a parameter of that struct type. */
function waitOn(fn: FunctionFacts, prim: Primitive): { fact: CallFact; unseen: boolean } | undefined {
  const onQueue = (f: Fact): f is CallFact => {
    if (f.kind !== 'call' || !f.changed) return false;
    // Timed waits are ignored by DEPT by default (CONFIG_DEPT_AGGRESSIVE_TIMEOUT_WAIT=n): no hook lost.
    if (!(WAIT_EVENT.test(f.callee) && !f.callee.includes('timeout')) && !PREPARE.test(f.callee)) return false;
    const arg = f.args[0] ?? '';
    return memberOf(arg) === prim.waitqueue && paramOf(fn, baseOf(arg), prim.name);
  };
  const fact = fn.facts.find(onQueue);
  if (!fact) return undefined;
  if (WAIT_EVENT.test(fact.callee)) return { fact, unseen: false };
  const sleeps = fn.facts.some((f) => f.kind === 'call' && f.line >= fact.line && SCHEDULE.test(f.callee));
  return sleeps ? { fact, unseen: true } : undefined;
}

export default defineRule<MessageId>({
  meta: {
    id: 'dept/completion-like-without-sdt',
    severity: 'info',
    description: 'Introduces a completion-like primitive (waitqueue + done flag + wait helper) without any DEPT hooks',
    messages: {
      sharedClass:
        '{{func}} waits with `{{wait}}` on {{queue}} of the new {{struct}} (a waitqueue plus `{{flag}}`: a home-made completion), and nothing in the series gives it sdt_*/dept_* hooks: every user of {{helper}} shares the one DEPT wait class of this wait_event*() site, so waits of unrelated users are merged and their dependencies blur. Prefer struct completion (DEPT gives each wait_for_completion() call site its own class), or make the helper a macro / take a dept_map per object (sdt_map_init(), sdt_wait()/sdt_event()).',
      unseen:
        '{{func}} sleeps on {{queue}} of the new {{struct}} (a waitqueue plus `{{flag}}`: a home-made completion) through an open-coded `{{wait}}` and schedule(), and nothing in the series gives it sdt_*/dept_* hooks: DEPT never sees this wait, so a cycle through it (the completer needing something the waiter holds) is never reported. Prefer struct completion, or bracket the sleep with sdt_might_sleep_start()/sdt_might_sleep_end().',
    },
    triggers: ['wait_queue_head_t', 'wait_queue_head'],
    requires: ['wait_queue_head_t', 'wait_queue_head'],
    // A finding is at a wait_event*()/prepare_to_wait*() call (WAIT_EVENT, PREPARE), judged from its
    // own function; the primitives and the sdt hooks come from the series text.
    reads: ['wait_event*', 'prepare_to_wait*'],
    scope: 'series',
  },
  check(ctx) {
    const added = [...seriesPostImage(ctx.series)].filter((l) => l.added && isCFile(l.file));
    if (added.some((l) => HOOK.test(codeOnly([l.text])[0] ?? ''))) return;
    const prims: Primitive[] = [];
    for (const patch of ctx.series.patches) {
      for (const file of patch.files) {
        if (!isCFile(file.path) || file.status === 'deleted' || isDeptImplementation(file.path)) continue;
        prims.push(...primitivesIn([...postImageOf(patch, file)]));
      }
    }
    if (prims.length === 0) return;
    for (const fn of newFunctions(ctx.functions)) {
      if (!fn.name || !wholeBody(fn) || isDeptImplementation(fn.file)) continue;
      for (const prim of prims) {
        const hit = waitOn(fn, prim);
        if (!hit) continue;
        ctx.report({
          messageId: hit.unseen ? 'unseen' : 'sharedClass',
          patch: fn.patch,
          file: fn.file,
          line: hit.fact.line,
          side: 'new',
          data: { func: functionLabel(fn, { start: true }), helper: functionLabel(fn), wait: hit.fact.text.replace(/;$/, ''), queue: hit.fact.args[0] ?? prim.waitqueue, struct: `struct ${prim.name}`, flag: prim.flag },
          related: [{ label: `struct ${prim.name}`, patch: prim.patch, file: prim.file, line: prim.line, side: 'new' }],
        });
        break;
      }
    }
  },
});
