// Necessary words per rule (meta.requires): a rule whose every report needs, say, a wait
// primitive need not run, nor make the series' C be parsed, when no such word occurs.
import type { Patch } from '../../bot/model.ts';
import type { Rule } from './types.ts';
import { patchText } from './triggers.ts';

export interface RequirementIndex {
  /** Ids of the rules whose requirement the patch meets (rules without one always). */
  met(patch: Patch): ReadonlySet<string>;
}

export function requirementIndex(rules: readonly Rule[]): RequirementIndex {
  const free: string[] = [];
  const exact = new Map<string, string[]>();
  const prefixes: Array<{ prefix: string; id: string }> = [];
  for (const r of rules) {
    const words = r.meta.requires;
    if (!words) free.push(r.meta.id);
    else for (const w of words) {
      if (w.endsWith('*')) prefixes.push({ prefix: w.slice(0, -1), id: r.meta.id });
      else exact.set(w, [...(exact.get(w) ?? []), r.meta.id]);
    }
  }
  const alternatives = [...exact.keys(), ...prefixes.map((p) => `${p.prefix}\\w*`)].sort((a, b) => b.length - a.length);
  const re = alternatives.length > 0 ? new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join('|')})(?![A-Za-z0-9_])`, 'g') : null;
  const idsOf = (word: string): string[] => [...(exact.get(word) ?? []), ...prefixes.filter((p) => word.startsWith(p.prefix)).map((p) => p.id)];
  return {
    met(patch) {
      const met = new Set(free);
      if (!re) return met;
      const text = patchText(patch);
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) for (const id of idsOf(m[0])) met.add(id);
      return met;
    },
  };
}
