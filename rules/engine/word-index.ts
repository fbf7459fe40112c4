// Words of rules' meta lists (triggers, requires, reads) found in a text in one scan: a word is a
// whole identifier, and one ending in `*` matches every identifier with that prefix.
import { escapeRe } from './analysis/c-expr.ts';
import type { Rule } from './types.ts';

export class WordIndex {
  private readonly exact = new Map<string, string[]>();
  private readonly prefixes: Array<{ prefix: string; id: string }> = [];
  private readonly re: RegExp | null;

  /** `entries`: [word, id of the rule that lists it]. */
  constructor(entries: Iterable<readonly [string, string]>) {
    for (const [word, id] of entries) {
      if (word.endsWith('*')) this.prefixes.push({ prefix: word.slice(0, -1), id });
      else this.exact.set(word, [...(this.exact.get(word) ?? []), id]);
    }
    const alternatives = [...[...this.exact.keys()].map(escapeRe), ...this.prefixes.map((p) => `${escapeRe(p.prefix)}\\w*`)];
    // Both ends are held to identifier boundaries, so every alternative that matches at a place
    // matches the same whole identifier: their order does not matter.
    this.re = alternatives.length > 0 ? new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join('|')})(?![A-Za-z0-9_])`, 'g') : null;
  }

  /** Adds to `ids` the id of every entry whose word `text` mentions. */
  idsIn(text: string, ids: Set<string>): Set<string> {
    const re = this.re;
    if (!re) return ids;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const word = m[0];
      for (const id of this.exact.get(word) ?? []) ids.add(id);
      for (const p of this.prefixes) if (word.startsWith(p.prefix)) ids.add(p.id);
    }
    return ids;
  }
}

/** [word, rule id] for every word a list of `rules` holds under `list`. */
export function ruleWords(rules: readonly Rule[], list: (r: Rule) => readonly string[] | undefined): Array<[string, string]> {
  return rules.flatMap((r) => (list(r) ?? []).map((w): [string, string] => [w, r.meta.id]));
}
