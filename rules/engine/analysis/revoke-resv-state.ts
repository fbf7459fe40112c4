// Reservation-lock (dma_resv) state at each fact of one function, as far as the hunk shows it.
// 'unknown' whenever code is hidden (unknown prefix, gaps) or a branch we are not in may have
// changed the state without visibly leaving: rules stay silent on 'unknown'.
import type { Fact, FunctionFacts, LockFact } from '../types.ts';
import { classifyCallee } from '../facts/classify.ts';
import { branchExits, within } from './conditions.ts';

export type ResvState = 'held' | 'free' | 'unknown';

export interface ResvAt {
  state: ResvState;
  /** Acquisitions in force (state 'held'), innermost last. */
  held: LockFact[];
  /** The last visible release that made the state 'free', if any. */
  releasedAt?: LockFact;
}

/** Calls that may take or assert a resv without being modelled as a resv LockFact. */
const HIDDEN_RESV_LOCK =
  /(?:^|_)(?:reserve|lock_obj|lock_objs|bo_lock|obj_lock|object_lock|gem_lock|lock_interruptible)(?:_|$)|^drm_exec_|^ttm_bo_reserve|^ttm_eu_reserve|^dma_resv_assert_held$/;

export function isResvLock(f: Fact): f is LockFact {
  return f.kind === 'lock' && f.family === 'resv';
}

/** Resv state just before facts[index] of `fn`. */
export function resvStateAt(fn: FunctionFacts, index: number): ResvAt {
  const facts = fn.facts;
  const at = facts[index];
  if (!at) return { state: 'unknown', held: [] };
  let held: LockFact[] = [];
  let unknown = !fn.prefixKnown;
  let releasedAt: LockFact | undefined;
  for (let j = 0; j < index; j++) {
    const f = facts[j];
    if (!f) continue;
    if (f.kind === 'gap') {
      held = [];
      unknown = true;
      releasedAt = undefined;
      continue;
    }
    held = held.filter((h) => h.scopeEndLine === undefined || h.scopeEndLine >= at.line);
    const hidden = f.kind === 'call' && HIDDEN_RESV_LOCK.test(f.callee) && !classifyCallee(f.callee);
    if (!isResvLock(f) && !hidden) continue;
    const applies = within(f, at);
    if (!applies) {
      // A lock change in a branch we are not in: harmless only if that branch visibly exits.
      if (!branchExits(facts, j, index)) unknown = true;
      continue;
    }
    if (hidden) {
      unknown = true;
      continue;
    }
    const lock = f as LockFact;
    if (lock.op === 'acquire') {
      held.push(lock);
      releasedAt = undefined;
    } else {
      const i = held.findIndex((h) => h.target === lock.target);
      if (i >= 0) held.splice(i, 1);
      else if (held.length > 0) held.pop();
      if (held.length === 0) {
        // The function dropped the resv it (or its caller) held: from here on it visibly holds none.
        unknown = false;
        releasedAt = lock;
      }
    }
  }
  if (held.length > 0) return { state: 'held', held };
  if (unknown) return { state: 'unknown', held: [] };
  return releasedAt ? { state: 'free', held: [], releasedAt } : { state: 'free', held: [] };
}

/** Index of the first resv release after `from` that applies on the path of facts[from], or -1. */
export function nextResvRelease(fn: FunctionFacts, from: number): number {
  const start = fn.facts[from];
  if (!start) return -1;
  for (let k = from + 1; k < fn.facts.length; k++) {
    const f = fn.facts[k];
    if (!f) continue;
    if (f.kind === 'gap') return -1;
    if (isResvLock(f) && f.op === 'release' && within(f, start)) return k;
  }
  return -1;
}

/** True when a gap fact lies strictly between indexes a and b. */
export function gapBetween(fn: FunctionFacts, a: number, b: number): boolean {
  for (let k = Math.min(a, b) + 1; k < Math.max(a, b); k++) if (fn.facts[k]?.kind === 'gap') return true;
  return false;
}
