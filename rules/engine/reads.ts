// The rules' `meta.reads` as one index: each function's text is scanned once for every enabled
// rule's words (a whole identifier; a trailing `*` matches any identifier with that prefix), and a
// rule then sees the functions that mention one of its own.
import type { Rule } from './types.ts';
import { escapeRe } from './analysis/c-expr.ts';
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
  const exact = new Map<string, string[]>();
  const prefixes: Array<{ prefix: string; id: string }> = [];
  for (const r of rules) {
    for (const w of r.meta.reads ?? []) {
      if (w.endsWith('*')) prefixes.push({ prefix: w.slice(0, -1), id: r.meta.id });
      else exact.set(w, [...(exact.get(w) ?? []), r.meta.id]);
    }
  }
  const alternatives = [...[...exact.keys()].map(escapeRe), ...prefixes.map((p) => `${escapeRe(p.prefix)}\\w*`)].sort((a, b) => b.length - a.length);
  const re = alternatives.length > 0 ? new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join('|')})(?![A-Za-z0-9_])`, 'g') : null;
  const readers = new WeakMap<Readable, ReadonlySet<string>>();
  const readersOf = (fn: Readable): ReadonlySet<string> => {
    let ids = readers.get(fn);
    if (ids) return ids;
    const found = new Set<string>();
    if (re) {
      const text = fn.text();
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        for (const id of exact.get(m[0]) ?? []) found.add(id);
        for (const p of prefixes) if (m[0].startsWith(p.prefix)) found.add(p.id);
      }
    }
    readers.set(fn, (ids = found));
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
