// DEPT's circular dependency, seen in the patches: a context waits for event E while holding C,
// and every context that can produce E (as far as the series shows) must first take C. The wait
// blocks the release of C, C blocks E, E ends the wait: none of them ever happens.
import { defineRule } from '../engine/define-rule.ts';
import type { EventFact, Fact, FunctionFacts, RelatedLocation, WaitFact } from '../engine/types.ts';
import { heldLocksAt } from '../engine/analysis/sleep-held-locks.ts';
import type { HeldLock } from '../engine/analysis/sleep-held-locks.ts';
import { objectPath, sameLockRelativeTo, sameObject } from '../engine/analysis/series-object-path.ts';
import { functionHeaderLine } from '../engine/analysis/series-function-header.ts';
import { memberKey, orderedQueuesRunning, workTopology } from '../engine/analysis/series-workqueues.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

const WAIT_NAMES = [
  ...['', '_io', '_killable', '_interruptible', '_state'].map((s) => `wait_for_completion${s}`),
  ...['', '_interruptible', '_killable', '_idle', '_freezable'].flatMap((s) => [`wait_event${s}`, `wait_event${s}_exclusive`]),
  ...['', '_killable', '_interruptible'].map((s) => `wait_var_event${s}`),
  'dma_fence_wait',
];
const EVENT_NAMES = [
  'complete', 'complete_all', 'complete_release', 'wake_up', 'wake_up_all', 'wake_up_interruptible', 'wake_up_interruptible_all',
  'wake_up_poll', 'wake_up_interruptible_poll', 'wake_up_var', 'swake_up_one', 'swake_up_all',
  ...['', '_locked', '_timestamp', '_timestamp_locked'].map((s) => `dma_fence_signal${s}`),
];
const FLUSH_NAMES = ['flush_work', 'flush_delayed_work', 'cancel_work_sync', 'cancel_delayed_work_sync'];
const oneOf = (names: readonly string[]): RegExp => new RegExp(`^(?:${names.join('|')})$`);
const WAITS = oneOf(WAIT_NAMES);
const EVENTS = oneOf(EVENT_NAMES);
const FLUSHES = oneOf(FLUSH_NAMES);
/** Lock families an event context can need; irq/preempt/rcu/bh are CPU states, not resources. */
const RESOURCE = new Set<HeldLock['family']>(['spin', 'rwlock', 'mutex', 'rwsem', 'resv', 'other', 'folio']);

/**
 * What a function must mention for the rule to read it: a wait, event or flush is a fact of a call
 * by one of these names, and workTopology() reads only the calls of series-workqueues.ts (INIT_WORK,
 * QUEUE, ORDERED). Two reads go by name instead, to any function: whether a later patch shows the
 * waiting function again, and the work function a flush waits for (ctx.functionsNamed, asked only
 * before a report).
 */
const READS = [
  ...WAIT_NAMES, ...EVENT_NAMES, ...FLUSH_NAMES,
  'INIT_WORK', 'INIT_DELAYED_WORK', 'INIT_WORK_ONSTACK', 'INIT_DELAYED_WORK_ONSTACK', 'queue_work', 'queue_delayed_work',
  'mod_delayed_work', 'queue_work_on', 'queue_delayed_work_on', 'alloc_ordered_workqueue', 'create_singlethread_workqueue',
  'create_freezable_workqueue',
];

interface Site {
  fn: FunctionFacts;
  fact: EventFact;
  held: HeldLock[];
}

/** A plain name that is a local or a parameter is a different object in every function. */
function isFunctionLocal(fn: FunctionFacts, expr: string): boolean {
  const p = objectPath(expr);
  if (!p) return true;
  return p.base in fn.locals || (fn.params ?? []).some((d) => new RegExp(`\\b${p.base}\\s*$`).test(d));
}

/** The same function, possibly as another patch of the series shows it. */
const sameFunction = (a: FunctionFacts, b: FunctionFacts): boolean => a === b || (a.name !== null && a.name === b.name && a.file === b.file);

function eventMatches(wfn: FunctionFacts, w: WaitFact, s: Site): boolean {
  if (sameFunction(s.fn, wfn) || !sameObject(w.target, s.fact.target)) return false;
  const plain = objectPath(w.target)?.path === '';
  return !plain || (!isFunctionLocal(wfn, w.target) && !isFunctionLocal(s.fn, s.fact.target));
}

/** The lock of the site that is C, seen from the event's side. */
function sameLockAt(c: HeldLock, w: WaitFact, s: Site): HeldLock | undefined {
  return s.held.find((l) => {
    if (l.family !== c.family) return false;
    // PG_locked is one class to DEPT: any folio lock against any folio lock.
    if (c.family === 'folio') return true;
    return sameLockRelativeTo(c.target, w.target, l.target, s.fact.target);
  });
}

/** A fact's statement for a message: `wait_for_completion(&d->done)`. */
const stmt = (f: Fact): string => f.text.replace(/;$/, '');

const loc = (fn: FunctionFacts, line: number, label: string): RelatedLocation => ({ label, patch: fn.patch, file: fn.file, line, side: 'new' });

function describeLock(c: HeldLock): string {
  return c.family === 'folio' ? `the folio lock (${c.primitive}(${c.target}))` : `${c.target} (${c.primitive.endsWith(')') ? c.primitive : `${c.primitive}()`})`;
}

export default defineRule({
  meta: {
    id: 'series/wait-event-cycle',
    severity: 'error',
    description: 'Waits for an event while holding a lock or context that every visible path to the event needs',
    messages: {
      lockCycle:
        '`{{wait}}` waits for `{{event}}` while holding {{lock}}, taken at line {{lockLine}}; every place in this series that signals it ({{sites}}) first takes that same lock, so the event can only come after this context unlocks: a deadlock ([S] {{start}}, [W] line {{waitLine}}, [E] {{eventAt}}). Release the lock before waiting, or signal without it.',
      orderedQueueCycle:
        '`{{wait}}` in {{fn}}, a work item of the ordered workqueue {{wq}}, waits for `{{event}}`, which only {{worker}}, another item of that same queue, produces; an ordered queue runs one item at a time, so {{worker}} cannot start before {{fn}} returns: a deadlock ([S] {{worker}} start, [W] line {{waitLine}}, [E] {{event}}). Signal from outside the queue, or queue the two on different workqueues.',
      flushCycle:
        '`{{wait}}` waits for the work {{worker}} while holding {{lock}}, taken at line {{lockLine}}; {{worker}} takes the same lock at {{workerLock}} before it can finish, so the flush waits for a work that waits for this context: a deadlock ([S] {{worker}} start, [W] line {{waitLine}}, [E] end of {{worker}}). Drop the lock before flushing, or make the work not need it.',
    },
    triggers: [
      'wait_for_completion', 'wait_for_completion_io', 'wait_for_completion_killable', 'wait_for_completion_interruptible',
      'wait_for_completion_state', 'wait_event', 'wait_event_interruptible', 'wait_event_killable', 'wait_event_idle',
      'wait_event_freezable', 'wait_var_event', 'dma_fence_wait', 'complete', 'complete_all', 'wake_up', 'wake_up_all',
      'wake_up_interruptible', 'wake_up_var', 'dma_fence_signal', 'flush_work', 'flush_delayed_work', 'cancel_work_sync',
      'cancel_delayed_work_sync', 'INIT_WORK', 'INIT_DELAYED_WORK', 'alloc_ordered_workqueue',
    ],
    scope: 'series',
    // Reports only at a wait matching WAITS or a call matching FLUSHES.
    requires: [...WAIT_NAMES, ...FLUSH_NAMES],
    reads: READS,
  },
  check(ctx) {
    const fns = ctx.functions.filter((f) => f.image === 'new');
    const sites: Site[] = [];
    for (const fn of fns) {
      fn.facts.forEach((f, i) => {
        if (f.kind === 'event' && EVENTS.test(f.primitive) && f.target) sites.push({ fn, fact: f, held: heldLocksAt(fn, i) });
      });
    }
    const topo = workTopology(fns);
    const headerOf = (fn: FunctionFacts): number | undefined => functionHeaderLine(ctx.series, fn);

    // The combined post-image: a function that a later patch shows again is judged in that version.
    // The versions this rule reads settle most cases; the others are looked up before a report.
    const laterVersion = (fn: FunctionFacts, of: readonly FunctionFacts[]): boolean => of.some((g) => g.image === 'new' && g.patch > fn.patch && sameFunction(g, fn));
    const hidden = new Map<FunctionFacts, boolean>();
    const superseded = (fn: FunctionFacts): boolean => {
      let s = hidden.get(fn);
      if (s === undefined) hidden.set(fn, (s = fn.name !== null && laterVersion(fn, ctx.functionsNamed(fn.name))));
      return s;
    };
    /** Reports for fn unless a later version, unread so far, supersedes it. */
    const report = (fn: FunctionFacts, r: Parameters<typeof ctx.report>[0]): void => {
      if (!superseded(fn)) ctx.report(r);
    };
    for (const fn of fns) {
      if (laterVersion(fn, fns)) continue;
      fn.facts.forEach((f, i) => {
        if (f.kind === 'wait' && WAITS.test(f.primitive) && f.timeout === 'none' && f.target) {
          if (!lockCycle(fn, f, i)) orderedQueueCycle(fn, f);
        }
        if (f.kind === 'call' && FLUSHES.test(f.callee) && f.args[0]) flushCycle(fn, f, i);
      });
    }

    /** Reports a wait under a lock that every signaller needs; true when it did. */
    function lockCycle(fn: FunctionFacts, w: WaitFact, i: number): boolean {
      const held = heldLocksAt(fn, i).filter((h) => RESOURCE.has(h.family));
      if (held.length === 0) return false;
      const matching = sites.filter((s) => eventMatches(fn, w, s));
      if (matching.length === 0) return false;
      for (const c of [...held].reverse()) {
        const pairs = matching.map((s) => ({ s, l: sameLockAt(c, w, s) }));
        if (pairs.some((p) => !p.l)) continue;
        const changed = w.changed || c.fact.changed || pairs.some((p) => p.s.fact.changed || p.l?.fact.changed);
        if (!changed) return false;
        const first = pairs[0];
        if (!first?.l) return false;
        const sfn = first.s.fn;
        const startLine = headerOf(sfn) ?? first.l.fact.line;
        report(fn, {
          patch: fn.patch,
          file: fn.file,
          line: w.line,
          side: 'new',
          messageId: 'lockCycle',
          data: {
            wait: stmt(w),
            event: stmt(first.s.fact),
            lock: describeLock(c),
            lockLine: c.fact.line,
            sites: pairs.map((p) => `${functionLabel(p.s.fn)} in patch ${p.s.fn.patch}, ${p.s.fn.file}:${p.s.fact.line}`).join('; '),
            start: `${functionLabel(sfn)} patch ${sfn.patch}, ${sfn.file}:${startLine}`,
            waitLine: w.line,
            eventAt: `patch ${sfn.patch}, ${sfn.file}:${first.s.fact.line}`,
          },
          related: [
            loc(sfn, startLine, `[S] ${functionLabel(sfn)} (takes ${first.l.fact.text} at line ${first.l.fact.line})`),
            loc(fn, w.line, `[W] ${w.text}`),
            loc(sfn, first.s.fact.line, `[E] ${first.s.fact.text}`),
          ],
        });
        return true;
      }
      return false;
    }

    /** A work item of an ordered queue waits for an event only a later item of that queue produces. */
    function orderedQueueCycle(fn: FunctionFacts, w: WaitFact): void {
      const queues = orderedQueuesRunning(topo, fn.name);
      if (queues.size === 0) return;
      const matching = sites.filter((s) => eventMatches(fn, w, s));
      if (matching.length === 0) return;
      const shared = matching.map((s) => [...orderedQueuesRunning(topo, s.fn.name)].find((q) => queues.has(q)));
      const q = shared[0];
      if (!q || shared.some((x) => x !== q)) return;
      if (!(w.changed || matching.some((s) => s.fact.changed))) return;
      const first = matching[0];
      if (!first) return;
      const g = first.fn;
      const startLine = headerOf(g) ?? first.fact.line;
      report(fn, {
        patch: fn.patch,
        file: fn.file,
        line: w.line,
        side: 'new',
        messageId: 'orderedQueueCycle',
        data: { wait: stmt(w), fn: functionLabel(fn), worker: functionLabel(g), event: stmt(first.fact), wq: q, waitLine: w.line },
        related: [
          loc(g, startLine, `[S] ${functionLabel(g)} (a work item of the same ordered workqueue ${q})`),
          loc(fn, w.line, `[W] ${w.text}`),
          loc(g, first.fact.line, `[E] ${first.fact.text}`),
        ],
      });
    }

    function flushCycle(fn: FunctionFacts, f: Fact & { kind: 'call' }, i: number): void {
      const work = (f.args[0] ?? '').replace(/^&/, '');
      const workerNames = [...(topo.workers.get(memberKey(work)) ?? [])];
      if (workerNames.length === 0 || new Set(workerNames).size > 1) return;
      const workerName = workerNames[0] ?? '';
      const held = heldLocksAt(fn, i).filter((h) => RESOURCE.has(h.family) && h.family !== 'folio');
      // Without a lock held there is nothing to report: the worker need not be looked up.
      if (held.length === 0) return;
      // Every version of the worker, read or not (it need not mention any word of READS).
      const workers = ctx.functionsNamed(workerName).filter((g) => g.image === 'new');
      // Every visible version of the worker must be seen from its start.
      if (workers.length === 0 || workers.some((g) => !g.prefixKnown)) return;
      for (const c of [...held].reverse()) {
        const cPath = objectPath(c.target);
        const takes = workers.map((g) =>
          g.facts.find((l): l is Fact & { kind: 'lock' } => {
            if (l.kind !== 'lock' || l.op !== 'acquire' || l.trylock || l.conditions.length > 0 || l.family !== c.family) return false;
            if (l.target === c.target && cPath?.path === '') return true;
            const lp = objectPath(l.target);
            return !!cPath && !!lp && cPath.path !== '' && lp.path === cPath.path && cPath.base === objectPath(work)?.base;
          }),
        );
        if (takes.some((t) => !t)) continue;
        const g = workers[0];
        const take = takes[0];
        if (!g || !take) return;
        if (!(f.changed || c.fact.changed || takes.some((t) => t?.changed))) return;
        const startLine = headerOf(g) ?? take.line;
        const endLine = g.facts[g.facts.length - 1]?.line ?? take.line;
        report(fn, {
          patch: fn.patch,
          file: fn.file,
          line: f.line,
          side: 'new',
          messageId: 'flushCycle',
          data: {
            wait: stmt(f),
            worker: functionLabel(workerName),
            lock: describeLock(c),
            lockLine: c.fact.line,
            workerLock: `patch ${g.patch}, ${g.file}:${take.line}`,
            waitLine: f.line,
          },
          related: [
            loc(g, startLine, `[S] ${workerName}()`),
            loc(fn, f.line, `[W] ${f.text}`),
            loc(g, endLine, `[E] ${workerName}() completes only after ${take.text}`),
          ],
        });
        return;
      }
    }
  },
});
