// Which locks are held at a fact, from the visible code only. Precision first: a lock counts as
// `held` only when it is taken on every visible path to the fact; `maybe` lists locks taken or
// released on some paths only; `unknown` says that hidden code (before the hunk, in a gap) may hold more.
import type { FunctionFacts, LockFact, LockFamily } from '../types.ts';
import { within } from './conditions.ts';
import { sameTarget } from './targets.ts';

export interface LockState {
  held: LockFact[];
  maybe: LockFact[];
  unknown: boolean;
}

interface Entry {
  lock: LockFact;
  definite: boolean;
}

/** Lock state just before fn.facts[factIndex] runs. */
export function lockStateAt(fn: FunctionFacts, factIndex: number): LockState {
  const at = fn.facts[factIndex];
  let unknown = !fn.prefixKnown;
  let entries: Entry[] = [];
  if (!at) return { held: [], maybe: [], unknown };
  for (let i = 0; i < factIndex; i++) {
    const f = fn.facts[i];
    if (!f) continue;
    if (f.kind === 'gap') {
      // What was taken before hidden code may have been released in it.
      unknown = true;
      entries = [];
    } else if (f.kind === 'lock' && f.op === 'acquire') {
      entries.push({ lock: f, definite: acquiredOnAllPaths(f, at) });
    } else if (f.kind === 'lock' && f.op === 'release') {
      const k = findLast(entries, (e) => e.lock.family === f.family && sameTarget(e.lock.target, f.target));
      if (k < 0) continue;
      if (within(f, at)) entries.splice(k, 1);
      else if (!exitsAfterRelease(fn, i, factIndex)) {
        const e = entries[k];
        if (e) e.definite = false;
      }
    }
  }
  entries = entries.filter((e) => e.lock.scopeEndLine === undefined || at.line <= e.lock.scopeEndLine);
  return { held: entries.filter((e) => e.definite).map((e) => e.lock), maybe: entries.filter((e) => !e.definite).map((e) => e.lock), unknown };
}

/** Families of the locks surely held. */
export function heldFamilies(state: LockState): Set<LockFamily> {
  return new Set(state.held.map((l) => l.family));
}

/** The first surely held lock that forbids sleeping (spin, rwlock, irq, preempt, bh, rcu), if any. */
export function atomicHeld(state: LockState): LockFact | undefined {
  return state.held.find((l) => l.atomic);
}

function acquiredOnAllPaths(lock: LockFact, at: LockFact | { conditions: string[] }): boolean {
  if (!lock.trylock) return within(lock, at);
  // `if (!x_trylock(l)) return ...;` holds after the if; `if (x_trylock(l)) { ... }` inside it.
  const cond = /^if \((.*)\)$/.exec(lock.text)?.[1];
  if (cond === undefined || !cond.includes(lock.primitive)) return false;
  if (cond.startsWith('!')) return within(lock, at) && !at.conditions.slice(lock.conditions.length).includes(cond);
  return within({ conditions: [...lock.conditions, cond] }, at);
}

/** A release in a branch that then returns or jumps away leaves the fall-through path holding the lock. */
function exitsAfterRelease(fn: FunctionFacts, releaseIndex: number, atIndex: number): boolean {
  const rel = fn.facts[releaseIndex];
  if (!rel) return false;
  for (let i = releaseIndex + 1; i < atIndex; i++) {
    const f = fn.facts[i];
    if (!f || !within(rel, f)) break;
    if (f.kind === 'return' || f.kind === 'goto') return true;
  }
  return false;
}

function findLast<T>(xs: T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i] as T)) return i;
  return -1;
}
