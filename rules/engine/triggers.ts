// Which rules a patch can concern: one scan of the patch text per patch finds every trigger
// identifier it mentions (hunk lines of any file, hunk headers and the commit message).
import type { Patch } from '../../bot/model.ts';
import type { Rule } from './types.ts';
import { escapeRe } from './analysis/c-expr.ts';

export interface TriggerIndex {
  /** Ids of the rules whose triggers the patch mentions (rules without triggers always). */
  firedRules(patch: Patch): ReadonlySet<string>;
}

export function triggerIndex(rules: readonly Rule[]): TriggerIndex {
  const always = rules.filter((r) => r.meta.triggers.length === 0).map((r) => r.meta.id);
  const byWord = new Map<string, string[]>();
  for (const r of rules) {
    for (const w of r.meta.triggers) {
      const ids = byWord.get(w) ?? [];
      ids.push(r.meta.id);
      byWord.set(w, ids);
    }
  }
  const words = [...byWord.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = words.length > 0 ? new RegExp(`(?<![A-Za-z0-9_])(?:${words.join('|')})(?![A-Za-z0-9_])`, 'g') : null;
  return {
    firedRules(patch) {
      const fired = new Set(always);
      if (!re) return fired;
      const text = patchText(patch);
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) for (const id of byWord.get(m[0]) ?? []) fired.add(id);
      return fired;
    },
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
