// Path relations between facts, read from their enclosing conditions.
import type { Fact } from '../types.ts';

/** True when `inner` runs only where `outer`'s conditions hold (same block or nested in it). */
export function within(outer: Pick<Fact, 'conditions'>, inner: Pick<Fact, 'conditions'>): boolean {
  const o = outer.conditions;
  const i = inner.conditions;
  if (o.length > i.length) return false;
  for (let k = 0; k < o.length; k++) if (o[k] !== i[k]) return false;
  return true;
}

/**
 * True when the branch holding facts[j] visibly ends in a return/goto before index `end`: every
 * fact after it up to the exit stays within its conditions.
 */
export function branchExits(facts: readonly Fact[], j: number, end: number): boolean {
  const from = { conditions: facts[j]?.conditions ?? [] };
  for (let k = j + 1; k < end && k < facts.length; k++) {
    const f = facts[k]!;
    if (!within(from, f)) return false;
    if (f.kind === 'return' || f.kind === 'goto') return true;
  }
  return false;
}

/** Conditions of `inner` beyond those of `outer` (assumes within(outer, inner)). */
export function extraConditions(outer: Pick<Fact, 'conditions'>, inner: Pick<Fact, 'conditions'>): string[] {
  return inner.conditions.slice(outer.conditions.length);
}
