import { describe, expect, it } from 'vitest';
import { defineRule } from '../../../rules/engine/define-rule.ts';
import { reviewSeries, rulesetVersion } from '../../../rules/engine/review.ts';
import { fillTemplate } from '../../../rules/engine/runner.ts';
import { syntheticSeries } from '../../../rules/engine/synthetic-series.ts';
import type { Rule } from '../../../rules/engine/types.ts';

const diff = (file: string, body: string) => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1,1 +1,1 @@ static void f(void)\n${body}`;
const series = syntheticSeries('s', [diff('b.c', '+\tfrob(1);\n+\tfrob(2);\n'), diff('a.c', '+\tfrob(3);\n')]);

/** Reports each added frob() call; optionally twice, or with a related location. */
function frobRule(id: string, extra: Partial<Rule['meta']> = {}, opts: { twice?: boolean; relatedLine?: number } = {}): Rule {
  return defineRule({
    meta: { id, severity: 'warning', description: 'd', messages: { m: '{{callee}} at {{line}} in {{nope}}' }, triggers: ['frob'], scope: 'patch', ...extra },
    check(ctx) {
      for (const fn of ctx.functions) {
        for (const f of fn.facts) {
          if (f.kind !== 'call' || f.callee !== 'frob') continue;
          const r = { messageId: 'm' as const, patch: fn.patch, file: fn.file, line: f.line, data: { callee: f.callee, line: f.line } };
          ctx.report(opts.relatedLine ? { ...r, line: f.line + 100, related: [{ label: 'W', patch: fn.patch, file: fn.file, line: f.line }] } : r);
          if (opts.twice) ctx.report(r);
        }
      }
    },
  });
}

describe('reviewSeries', () => {
  it('fills templates, applies severities and sorts by patch, file, line, rule', async () => {
    const review = await reviewSeries(series, { rules: [frobRule('t/b'), frobRule('t/a', {}, { twice: true })], severities: { 't/b': 'error' } });
    expect(review.findings.map((f) => `${f.patch}:${f.file}:${f.line}:${f.ruleId}:${f.severity}`)).toEqual([
      '1:b.c:1:t/a:warning',
      '1:b.c:1:t/b:error',
      '1:b.c:2:t/a:warning',
      '1:b.c:2:t/b:error',
      '2:a.c:1:t/a:warning',
      '2:a.c:1:t/b:error',
    ]);
    expect(review.findings[0]?.message).toBe('frob at 1 in {{nope}}');
    expect(review.findings[0]?.messageId).toBe('m');
    expect(review.ruleErrors).toEqual([]);
  });

  it('turns rules off by configuration', async () => {
    const review = await reviewSeries(series, { rules: [frobRule('t/a')], severities: { 't/a': 'off' } });
    expect(review.findings).toEqual([]);
  });

  it('isolates a crashing rule and keeps the others', async () => {
    const crash = defineRule({ meta: { id: 't/crash', severity: 'error', description: 'd', messages: { m: 'x' }, triggers: [], scope: 'patch' }, check: () => { throw new Error('boom\nstack'); } });
    const review = await reviewSeries(series, { rules: [crash, frobRule('t/a')] });
    expect(review.ruleErrors).toEqual([{ ruleId: 't/crash', kind: 'crash', message: 'patch 1: boom' }]);
    expect(review.findings).toHaveLength(3);
  });

  it('skips a rule that exceeds its budget and drops its findings', async () => {
    const slow = defineRule({
      meta: { id: 't/slow', severity: 'info', description: 'd', messages: { m: 'x' }, triggers: [], scope: 'series' },
      check(ctx) {
        const end = Date.now() + 30;
        while (Date.now() < end) {
          /* busy: the budget is measured, not enforced by interruption */
        }
        ctx.report({ messageId: 'm', patch: 1 });
      },
    });
    const timings: string[] = [];
    const review = await reviewSeries(series, { rules: [slow], budgetMs: 5, onTiming: (id) => timings.push(id) });
    expect(review.findings).toEqual([]);
    expect(review.ruleErrors[0]).toMatchObject({ ruleId: 't/slow', kind: 'budget' });
    expect(review.ruleErrors[0]?.message).toMatch(/^skipped: budget/);
    expect(timings).toEqual(['t/slow']);
  });

  it('lets a more specific rule supersede another at its place or related places', async () => {
    const general = frobRule('t/general');
    const specific = frobRule('t/specific', { supersedes: ['t/general'] }, { relatedLine: 1 });
    const review = await reviewSeries(series, { rules: [general, specific] });
    expect(review.findings.map((f) => f.ruleId)).toEqual(['t/specific', 't/specific', 't/specific']);
  });

  it('runs series rules once and skips rules whose triggers do not occur', async () => {
    let calls = 0;
    const seriesRule = defineRule({ meta: { id: 't/series', severity: 'info', description: 'd', messages: { m: 'x' }, triggers: ['frob'], scope: 'series' }, check: (ctx) => { calls++; expect(ctx.patch).toBeUndefined(); expect(ctx.functions.map((f) => f.patch)).toEqual([1, 2]); } });
    const never = defineRule({ meta: { id: 't/never', severity: 'info', description: 'd', messages: { m: 'x' }, triggers: ['no_such_call'], scope: 'patch' }, check: () => { throw new Error('must not run'); } });
    const review = await reviewSeries(series, { rules: [seriesRule, never] });
    expect(calls).toBe(1);
    expect(review.ruleErrors).toEqual([]);
  });

  it('versions the rule set by ids', () => {
    expect(rulesetVersion([frobRule('a'), frobRule('b')])).toBe(rulesetVersion([frobRule('b'), frobRule('a')]));
    expect(rulesetVersion([frobRule('a')])).not.toBe(rulesetVersion([frobRule('b')]));
    expect(fillTemplate('{{ a }}-{{b}}', { a: 1 })).toBe('1-{{b}}');
  });
});
