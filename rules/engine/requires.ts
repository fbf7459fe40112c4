// Necessary words per rule (meta.requires): a rule whose every report needs, say, a wait
// primitive need not run, nor make the series' C be parsed, when no such word occurs.
import type { Patch } from '../../bot/model.ts';
import type { Rule } from './types.ts';
import { patchText } from './triggers.ts';
import { WordIndex, ruleWords } from './word-index.ts';

export interface RequirementIndex {
  /** Ids of the rules whose requirement the patch meets (rules without one always). */
  met(patch: Patch): ReadonlySet<string>;
}

export function requirementIndex(rules: readonly Rule[]): RequirementIndex {
  const free = rules.filter((r) => !r.meta.requires).map((r) => r.meta.id);
  const words = new WordIndex(ruleWords(rules, (r) => r.meta.requires));
  return {
    met: (patch) => words.idsIn(patchText(patch), new Set(free)),
  };
}
