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

/** Conditions of `inner` beyond those of `outer` (assumes within(outer, inner)). */
export function extraConditions(outer: Pick<Fact, 'conditions'>, inner: Pick<Fact, 'conditions'>): string[] {
  return inner.conditions.slice(outer.conditions.length);
}
