// Indexes built from a rule list (trigger, requirement and reads regexes, the rule-set version)
// are the same for every series of a run; building them per series cost more than using them.
import type { Rule } from './types.ts';

/** `build` memoised on the exact rule objects of the list (the last few lists seen). */
export function memoByRules<T>(build: (rules: readonly Rule[]) => T): (rules: readonly Rule[]) => T {
  const seen = new Map<string, { rules: readonly Rule[]; value: T }>();
  return (rules) => {
    const key = rules.map((r) => r.meta.id).join('\n');
    const hit = seen.get(key);
    if (hit && hit.rules.length === rules.length && hit.rules.every((r, i) => r === rules[i])) return hit.value;
    const value = build(rules);
    if (seen.size >= 8) seen.clear();
    seen.set(key, { rules: [...rules], value });
    return value;
  };
}
