// Rule doc pages live beside the rules: rules/<area>/<name>.md for the id "<area>/<name>".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Rule } from '../rules/engine/types.ts';
import type { RuleInfo } from './reporters/document.ts';

export const rulesDir = fileURLToPath(new URL('../rules/', import.meta.url));

const ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

/** Path of a rule's doc page; undefined for a malformed id (never a path outside rules/). */
export function ruleDocPath(id: string, dir: string = rulesDir): string | undefined {
  return ID.test(id) ? `${dir.replace(/\/?$/, '/')}${id}.md` : undefined;
}

/** The doc page text, or undefined when the rule has none (yet). */
export function readRuleDoc(id: string, dir: string = rulesDir): string | undefined {
  const path = ruleDocPath(id, dir);
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Rule metadata plus doc page, as formatters see it. */
export function ruleInfos(rules: readonly Rule[], dir: string = rulesDir): RuleInfo[] {
  return rules.map(({ meta }) => {
    const doc = readRuleDoc(meta.id, dir);
    return { id: meta.id, severity: meta.severity, description: meta.description, ...(doc ? { doc } : {}) };
  });
}
