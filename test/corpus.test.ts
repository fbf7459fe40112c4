// The synthetic corpus: every corpus/<case>/ (one per rule, written here) holds a format-patch series
// and expected.json, the findings it must give through the whole pipeline: no more, no fewer.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.ts';
import { repoRoot } from './helpers/corpus.ts';
import { reviewJson } from './helpers/review-json.ts';

interface ExpectedFinding {
  ruleId: string;
  patch: number;
  file: string;
  line: number;
}

const corpusDir = join(repoRoot, 'corpus');
const key = (f: ExpectedFinding): string => `${f.ruleId} ${f.patch} ${f.file}:${f.line}`;

const cases = readdirSync(corpusDir)
  .filter((name) => existsSync(join(corpusDir, name, 'expected.json')))
  .sort();

describe('synthetic corpus', () => {
  it('has a case that makes each rule of the catalog fire', () => {
    const fired = new Set(
      cases.flatMap((name) =>
        (JSON.parse(readFileSync(join(corpusDir, name, 'expected.json'), 'utf8')) as ExpectedFinding[]).map((f) => f.ruleId),
      ),
    );
    expect(allRules.map((r) => r.meta.id).filter((id) => !fired.has(id))).toEqual([]);
  });
  for (const name of cases) {
    it(name, async () => {
      const dir = join(corpusDir, name);
      const inputs = readdirSync(dir)
        .filter((f) => /\.(mbox|patch|eml|diff)$/.test(f))
        .sort()
        .map((f) => join(dir, f));
      const expected = (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedFinding[]).map(key);
      const report = await reviewJson(inputs);
      const actual = report.series.flatMap((s) =>
        s.findings.map((f) => key({ ruleId: f.ruleId, patch: f.patch, file: f.file ?? '', line: f.line ?? 0 })),
      );
      expect(actual.sort()).toEqual(expected.sort());
    });
  }
});
