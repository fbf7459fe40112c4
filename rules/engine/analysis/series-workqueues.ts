// The work items of a series as far as it shows them: which function runs each work
// (INIT_WORK), which workqueue it is queued on (queue_work), and which workqueues are ordered
// (alloc_ordered_workqueue): an ordered queue runs one item at a time, so an item that waits for
// a later item of the same queue waits forever. Objects are matched by member path (see
// series-object-path.ts): `d->work` and `p->work` are the same work of two instances' code.
import type { CallFact, Fact, FunctionFacts } from '../types.ts';
import { objectPath } from './series-object-path.ts';

const INIT_WORK = /^(?:INIT_WORK|INIT_DELAYED_WORK|INIT_WORK_ONSTACK|INIT_DELAYED_WORK_ONSTACK)$/;
const QUEUE = /^(?:queue_work|queue_delayed_work|mod_delayed_work|queue_work_on|queue_delayed_work_on)$/;
const ORDERED = /^(?:alloc_ordered_workqueue|create_singlethread_workqueue|create_freezable_workqueue)\s*\(/;

export interface WorkTopology {
  /** Work member path -> names of the functions that run it. */
  workers: Map<string, Set<string>>;
  /** Work member path -> workqueue member paths it is queued on, with the queueing call. */
  queuedOn: Map<string, Array<{ wq: string; fact: CallFact; fn: FunctionFacts }>>;
  /** Member paths (or global names) of workqueues created ordered. */
  ordered: Set<string>;
}

/** "d->work" and "&p->work" -> "work"; a global `my_wq` -> "my_wq". */
export function memberKey(expr: string): string {
  const p = objectPath(expr);
  if (!p) return '';
  return p.path === '' ? p.base : p.path;
}

function add<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k) ?? [];
  list.push(v);
  m.set(k, list);
}

export function workTopology(fns: readonly FunctionFacts[]): WorkTopology {
  const workers = new Map<string, Set<string>>();
  const queuedOn = new Map<string, Array<{ wq: string; fact: CallFact; fn: FunctionFacts }>>();
  const ordered = new Set<string>();
  for (const fn of fns) {
    for (const f of fn.facts as Fact[]) {
      if (f.kind === 'call' && INIT_WORK.test(f.callee) && f.args[0] && f.args[1]) {
        const key = memberKey(f.args[0]);
        if (key) workers.set(key, (workers.get(key) ?? new Set()).add(f.args[1]));
      } else if (f.kind === 'call' && QUEUE.test(f.callee)) {
        const on = f.callee.endsWith('_on') ? 1 : 0;
        const wq = memberKey(f.args[on] ?? '');
        const work = memberKey(f.args[on + 1] ?? '');
        if (wq && work) add(queuedOn, work, { wq, fact: f, fn });
      } else if (f.kind === 'assign' && f.op === '=' && ORDERED.test(f.rhs)) {
        const key = memberKey(f.lhs);
        if (key) ordered.add(key);
      }
    }
  }
  return { workers, queuedOn, ordered };
}

/** The ordered workqueues (member paths) that run function `name` as a work item. */
export function orderedQueuesRunning(t: WorkTopology, name: string | null): Set<string> {
  const out = new Set<string>();
  if (!name) return out;
  for (const [work, fnNames] of t.workers) {
    if (!fnNames.has(name)) continue;
    for (const q of t.queuedOn.get(work) ?? []) if (t.ordered.has(q.wq)) out.add(q.wq);
  }
  return out;
}
