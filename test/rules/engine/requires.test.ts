import { describe, expect, it } from 'vitest';
import { defineRule } from '../../../rules/engine/define-rule.ts';
import { requirementIndex } from '../../../rules/engine/requires.ts';
import { runRules } from '../../../rules/engine/runner.ts';
import { syntheticSeries } from '../../../rules/engine/synthetic-series.ts';
import type { Rule } from '../../../rules/engine/types.ts';
import { allRules } from '../../../rules/index.ts';

const diff = (file: string, body: string): string => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1,1 +1,2 @@ static void f(void)\n${body}`;

function counting(id: string, scope: 'patch' | 'series', requires?: string[]): { rule: Rule; runs: () => number } {
  let n = 0;
  const rule = defineRule({
    meta: { id, severity: 'info', description: 'd', messages: { m: 'x' }, triggers: ['frob'], scope, ...(requires ? { requires } : {}) },
    check: () => void n++,
  });
  return { rule, runs: () => n };
}

describe('requirementIndex', () => {
  it('matches exact words and prefixes as whole identifiers', () => {
    const exact = counting('t/exact', 'patch', ['wait_for_completion']).rule;
    const prefix = counting('t/prefix', 'patch', ['wait_event*']).rule;
    const free = counting('t/free', 'patch').rule;
    const index = requirementIndex([exact, prefix, free]);
    const met = (body: string): string[] => [...index.met(syntheticSeries('s', [diff('a.c', body)]).patches[0]!)].sort();
    expect(met('+\twait_event_timeout(q, c, HZ);\n')).toEqual(['t/free', 't/prefix']);
    expect(met('+\twait_for_completion(&d);\n')).toEqual(['t/exact', 't/free']);
    expect(met('+\twait_for_completion_timeout(&d, HZ);\n+\tmy_wait_event(q);\n')).toEqual(['t/free']);
  });

  it('accepts only identifiers, optionally with a trailing *, in the rules\' requirements', () => {
    for (const r of allRules) for (const w of r.meta.requires ?? []) expect(w).toMatch(/^[A-Za-z_]\w*\*?$/);
  });
});

describe('runRules with requirements', () => {
  const series = syntheticSeries('s', [diff('a.c', '+\tfrob(1);\n'), diff('b.c', '+\tfrob(2);\n+\twait_event(q, c);\n')]);

  it('runs a series rule once any patch meets its requirement, and not at all otherwise', async () => {
    const met = counting('t/met', 'series', ['wait_event*']);
    const unmet = counting('t/unmet', 'series', ['complete']);
    await runRules(series, [met.rule, unmet.rule]);
    expect(met.runs()).toBe(1);
    expect(unmet.runs()).toBe(0);
  });

  it('runs a patch rule only on the patches that meet its requirement', async () => {
    const r = counting('t/patch', 'patch', ['wait_event']);
    await runRules(series, [r.rule]);
    expect(r.runs()).toBe(1);
  });

  it('ignores requirements when whole functions come from a tree', async () => {
    const r = counting('t/tree', 'series', ['complete']);
    await runRules(series, [r.rule], { treeFacts: new Map() });
    expect(r.runs()).toBe(1);
  });
});
