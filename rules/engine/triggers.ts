// Which rules a patch can concern: one scan of the patch text per patch finds every trigger
// identifier it mentions (hunk lines of any file, hunk headers and the commit message).
import type { Patch } from '../../bot/model.ts';
import type { Rule } from './types.ts';
import { WordIndex, ruleWords } from './word-index.ts';

export interface TriggerIndex {
  /** Ids of the rules whose triggers the patch mentions (rules without triggers always). */
  firedRules(patch: Patch): ReadonlySet<string>;
}

export function triggerIndex(rules: readonly Rule[]): TriggerIndex {
  const always = rules.filter((r) => r.meta.triggers.length === 0).map((r) => r.meta.id);
  const words = new WordIndex(ruleWords(rules, (r) => r.meta.triggers));
  return {
    firedRules: (patch) => words.idsIn(patchText(patch), new Set(always)),
  };
}

const texts = new WeakMap<Patch, string>();

/**
 * The text of a patch that rules can read words from: commit message, paths, hunk headers and
 * lines, one per line. Built once per patch and scanned whole: a word never spans a newline, and
 * one scan of one string is far cheaper than one per line.
 */
export function patchText(patch: Patch): string {
  let text = texts.get(patch);
  if (text !== undefined) return text;
  const parts = [patch.commitMessage];
  for (const f of patch.files) {
    parts.push(f.path);
    for (const h of f.hunks) {
      parts.push(h.section);
      for (const l of h.lines) parts.push(l.text);
    }
  }
  texts.set(patch, (text = parts.join('\n')));
  return text;
}
