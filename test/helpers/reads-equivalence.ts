// Checks a rule's `meta.reads` on its test table: every case gives the same findings (messages and
// related locations included) when the rule reads only the functions that mention one of its words
// as when it reads every function. At least one case must have a function the words leave out,
// else the table does not exercise them.
import { describe, expect, it } from 'vitest';
import type { RuleCase, RuleCases } from '../../rules/engine/rule-tester.ts';
import { runRules } from '../../rules/engine/runner.ts';
import { syntheticSeries } from '../../rules/engine/synthetic-series.ts';
import type { Finding, Rule } from '../../rules/engine/types.ts';

interface Run {
  findings: Finding[];
  /** Functions the rule was shown, summed over its invocations. */
  functions: number;
}

async function run(rule: Rule, c: RuleCase, withReads: boolean): Promise<Run> {
  const meta = { ...rule.meta };
  if (!withReads) delete meta.reads;
  let functions = 0;
  const probe: Rule = {
    meta,
    check: (ctx) => {
      functions += ctx.functions.length;
      rule.check(ctx);
    },
  };
  const series = syntheticSeries(c.name, Array.isArray(c.diff) ? c.diff : [c.diff], c.commitMessage);
  const { findings, ruleErrors } = await runRules(series, [probe], { budgetMs: Number.POSITIVE_INFINITY });
  expect(ruleErrors).toEqual([]);
  return { findings, functions };
}

export function testReadsEquivalence(rule: Rule, cases: RuleCases): void {
  describe(`${rule.meta.id}: meta.reads`, () => {
    // An empty list is right for a rule that finds functions only by name (ctx.functionsNamed).
    it('declares reads', () => {
      expect(rule.meta.reads).toBeDefined();
    });
    let leftOut = 0;
    for (const c of [...cases.valid, ...cases.invalid]) {
      it(`same findings when reading every function: ${c.name}`, async () => {
        const some = await run(rule, c, true);
        const every = await run(rule, c, false);
        expect(some.findings).toEqual(every.findings);
        if (some.functions < every.functions) leftOut++;
      });
    }
    // Runs after the cases above (tests of a file run in order).
    it('some case has a function that the words leave out', () => {
      expect(leftOut).toBeGreaterThan(0);
    });
  });
}
