// Every registered rule: id = its path, a doc page, a test table with >= 3 valid and >= 3 invalid
// cases, unique ids, non-empty messages. Rule files that are not registered are reported too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.ts';
import type { Rule } from '../../rules/engine/types.ts';
import { repoRoot } from '../helpers/corpus.ts';

const rulesDir = join(repoRoot, 'rules');
const areas = readdirSync(rulesDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'engine').map((d) => d.name);
const ruleFiles = areas.flatMap((area) =>
  readdirSync(join(rulesDir, area))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => ({ area, name: f.slice(0, -3) })),
);

/** Rule object -> "<area>/<name>" of the file whose default export it is. */
const pathOf = new Map<Rule, string>();
beforeAll(async () => {
  for (const { area, name } of ruleFiles) {
    const mod = (await import(pathToFileURL(join(rulesDir, area, `${name}.ts`)).href)) as { default?: unknown };
    if (mod.default && typeof mod.default === 'object') pathOf.set(mod.default as Rule, `${area}/${name}`);
  }
});

/** Number of top-level elements of each `valid: [...]` / `invalid: [...]` table in a test file. */
export function countCases(source: string, key: 'valid' | 'invalid'): number {
  const re = new RegExp(`(?<![A-Za-z_$])${key}\\s*:\\s*\\[`, 'g');
  let total = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) total += countElements(source, m.index + m[0].length);
  return total;
}

/** Counts comma-separated items from just after "[" to its matching "]", skipping strings and comments. */
function countElements(s: string, from: number): number {
  let depth = 0;
  let items = 0;
  let hasContent = false;
  for (let i = from; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '/' && s[i + 1] === '/') {
      i = s.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      i = s.indexOf('*/', i) + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(s, i);
      hasContent = true;
      continue;
    }
    if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') {
      if (depth === 0) return items + (hasContent ? 1 : 0);
      depth--;
    } else if (c === ',' && depth === 0) {
      if (hasContent) items++;
      hasContent = false;
      continue;
    }
    if (!/\s/.test(c)) hasContent = true;
  }
  return items;
}

function skipString(s: string, start: number): number {
  const q = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (q === '`' && s[i] === '$' && s[i + 1] === '{') {
      // Template expression: skip to its closing brace, strings inside included.
      let depth = 0;
      for (i += 1; i < s.length; i++) {
        if (s[i] === '"' || s[i] === "'" || s[i] === '`') i = skipString(s, i);
        else if (s[i] === '{') depth++;
        else if (s[i] === '}' && --depth === 0) break;
      }
    } else if (s[i] === q) return i;
  }
  return s.length;
}

describe('rule catalog', () => {
  it('has unique ids', () => {
    const ids = allRules.map((r) => r.meta.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('registers every rule file', () => {
    const registered = new Set(allRules);
    const unregistered = [...pathOf].filter(([rule]) => !registered.has(rule)).map(([, p]) => p);
    expect(unregistered).toEqual([]);
  });

  describe.each(allRules.map((r) => [r.meta.id, r] as const))('%s', (id, rule) => {
    it('has the id of its file rules/<area>/<name>.ts', () => {
      expect(pathOf.get(rule), 'the rule must be the default export of rules/<area>/<name>.ts').toBe(id);
    });

    it('has well-formed meta and non-empty messages', () => {
      expect(['error', 'warning', 'info']).toContain(rule.meta.severity);
      expect(['patch', 'series']).toContain(rule.meta.scope);
      expect(rule.meta.description.trim()).not.toBe('');
      expect(rule.meta.description).not.toContain('\n');
      const messages = Object.entries(rule.meta.messages);
      expect(messages.length).toBeGreaterThan(0);
      for (const [messageId, text] of messages) expect(text.trim(), messageId).not.toBe('');
      for (const s of rule.meta.supersedes ?? []) expect(allRules.map((r) => r.meta.id)).toContain(s);
    });

    it('has a doc page rules/<area>/<name>.md', () => {
      const doc = join(rulesDir, `${id}.md`);
      expect(existsSync(doc), doc).toBe(true);
      expect(readFileSync(doc, 'utf8').trim()).not.toBe('');
    });

    it('has a test table with at least 3 valid and 3 invalid cases', () => {
      const file = join(repoRoot, 'test', 'rules', `${id}.test.ts`);
      expect(existsSync(file), file).toBe(true);
      const source = readFileSync(file, 'utf8');
      expect(countCases(source, 'valid')).toBeGreaterThanOrEqual(3);
      expect(countCases(source, 'invalid')).toBeGreaterThanOrEqual(3);
    });
  });
});

describe('countCases', () => {
  it('counts table elements, not names inside strings or nested objects', () => {
    const src = "testRule(r, { valid: [{ name: 'a, b', diff: `x ${f('[')}` }, { name: 'c' }, mk('d')], invalid: [\n// { name: 'x' },\n{ name: 'y', errors: [{ file: 'f', line: 1 }] },\n] });";
    expect(countCases(src, 'valid')).toBe(3);
    expect(countCases(src, 'invalid')).toBe(1);
  });
});
