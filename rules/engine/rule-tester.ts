// ESLint-style RuleTester for vitest: each case becomes an `it`; a case is one unified diff per
// patch, turned into a synthetic series and run through the real runner.
import { describe, expect, it } from 'vitest';
import { runRules } from './runner.ts';
import type { Finding, Rule } from './types.ts';
import { syntheticSeries } from './synthetic-series.ts';

export interface ExpectedError {
  file: string;
  line: number;
  messageId?: string;
  /** Patch index (1-based); omitted = any patch. */
  patch?: number;
}

export interface RuleCase {
  name: string;
  /** One git-style unified diff per patch (a format-patch mail or text starting at `diff --git`). */
  diff: string | string[];
  commitMessage?: string;
  errors?: ExpectedError[];
}

export interface RuleCases {
  valid: RuleCase[];
  invalid: RuleCase[];
}

/** Registers `describe(rule id)` with one `it` per case. */
export function testRule(rule: Rule, cases: RuleCases): void {
  describe(rule.meta.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const found = await findingsOf(rule, c);
        expect(found.map(show), 'a valid case must produce no finding').toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const expected = c.errors ?? [];
        expect(expected.length, 'an invalid case must list its errors').toBeGreaterThan(0);
        for (const e of expected) {
          if (e.messageId !== undefined) expect(Object.keys(rule.meta.messages)).toContain(e.messageId);
        }
        const found = await findingsOf(rule, c);
        const { missing, unexpected } = compareFindings(found, expected);
        expect({ missing, unexpected: unexpected.map(show) }, `findings were: ${JSON.stringify(found.map(show))}`).toEqual({ missing: [], unexpected: [] });
      });
    }
  });
}

/** Expected errors without a matching finding, and findings nobody expected (each matched once). */
export function compareFindings(found: readonly Finding[], expected: readonly ExpectedError[]): { missing: ExpectedError[]; unexpected: Finding[] } {
  const unexpected = [...found];
  const missing: ExpectedError[] = [];
  for (const e of expected) {
    const i = unexpected.findIndex((f) => matches(f, e));
    if (i >= 0) unexpected.splice(i, 1);
    else missing.push(e);
  }
  return { missing, unexpected };
}

/** The rule's findings on one case (asserts that the rule did not crash). */
export async function findingsOf(rule: Rule, c: RuleCase): Promise<Finding[]> {
  const series = syntheticSeries(c.name, Array.isArray(c.diff) ? c.diff : [c.diff], c.commitMessage);
  // No budget in tests: a slow first parse must not turn into "skipped".
  const { findings, ruleErrors } = await runRules(series, [rule], { budgetMs: Number.POSITIVE_INFINITY });
  expect(ruleErrors, 'the rule must not crash').toEqual([]);
  return findings.filter((f) => f.ruleId === rule.meta.id);
}

function matches(f: Finding, e: ExpectedError): boolean {
  return f.file === e.file && f.line === e.line && (e.messageId === undefined || f.messageId === e.messageId) && (e.patch === undefined || f.patch === e.patch);
}

function show(f: Finding): string {
  return `patch ${f.patch} ${f.file ?? '-'}:${f.line ?? '-'} ${f.messageId ?? ''}: ${f.message}`;
}
