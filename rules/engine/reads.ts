// The rules' `meta.reads` as one index: each function's text is scanned once for every enabled
// rule's words (a whole identifier; a trailing `*` matches any identifier with that prefix), and a
// rule then sees the functions that mention one of its own.
import type { Rule } from './types.ts';
import { WordIndex, ruleWords } from './word-index.ts';
import type { FunctionFilter, Readable } from './facts/cache.ts';

/** A rule's filter: a function, or a whole file, that mentions one of its words. */
export interface ReadsFilter extends FunctionFilter {
  fn(r: Readable): boolean;
  file(r: Readable): boolean;
}

export interface ReadsIndex {
  /** The function filter for a rule; undefined when the rule reads every function. */
  filterFor(rule: Rule): ReadsFilter | undefined;
}

export function readsIndex(rules: readonly Rule[]): ReadsIndex {
  const words = new WordIndex(ruleWords(rules, (r) => r.meta.reads));
  const readers = new WeakMap<Readable, ReadonlySet<string>>();
  const readersOf = (r: Readable): ReadonlySet<string> => {
    let ids = readers.get(r);
    if (!ids) readers.set(r, (ids = words.idsIn(r.text(), new Set())));
    return ids;
  };
  return {
    filterFor(rule) {
      if (!rule.meta.reads) return undefined;
      const id = rule.meta.id;
      const reads = (r: Readable): boolean => readersOf(r).has(id);
      return { fn: reads, file: reads };
    },
  };
}
