// Call lookup by name.
import type { CallFact, FunctionFacts } from '../types.ts';

export interface Found<F> {
  fact: F;
  /** Index in fn.facts. */
  index: number;
}

/** Calls of any of `names` in source order; `from` limits the search to facts at or after that index. */
export function findCalls(fn: FunctionFacts, names: string | Iterable<string>, from = 0): Array<Found<CallFact>> {
  const wanted = new Set(typeof names === 'string' ? [names] : names);
  const out: Array<Found<CallFact>> = [];
  for (let i = from; i < fn.facts.length; i++) {
    const f = fn.facts[i];
    if (f?.kind === 'call' && wanted.has(f.callee)) out.push({ fact: f, index: i });
  }
  return out;
}
