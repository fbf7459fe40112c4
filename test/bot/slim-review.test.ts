import { describe, expect, it } from 'vitest';
import { adoptSlimSeries, slimReview, slimSeries } from '../../bot/slim-review.ts';
import { finding, review, series } from '../helpers/review-fixtures.ts';

describe('slimReview', () => {
  const s = series({ title: 'demo', expected: 2 });
  for (const p of s.patches) {
    p.message.headers.set('date', 'Tue, 3 Mar 2026 10:00:00 +0000');
    p.message.headers.set('received', 'from a by b');
  }
  const slim = slimReview(review(s, [finding({ ruleId: 'revoke/removed-api', patch: 2, file: 'drivers/demo/part2.c', line: 10 })]));

  it('drops bodies, commit messages and the hunks of patches without findings', () => {
    const [first] = slim.series.patches;
    expect(first?.message.body).toBe('');
    expect(first?.commitMessage).toBe('');
    expect(first?.files[0]?.hunks).toEqual([]);
    expect(first?.files[0]?.path).toBe('drivers/demo/part1.c');
  });

  it('keeps the hunks of patches with findings, for quoting in replies', () => {
    expect(slim.series.patches[1]?.files[0]?.hunks[0]?.lines[0]?.text).toBe('int x;');
  });

  it('keeps only the headers a reply needs', () => {
    const headers = slim.series.patches[1]?.message.headers;
    expect(headers?.get('date')).toBe('Tue, 3 Mar 2026 10:00:00 +0000');
    expect(headers?.has('received')).toBe(false);
  });

  it('does not change the original review', () => {
    expect(s.patches[0]?.message.body).toBe('body');
    expect(s.patches[0]?.files[0]?.hunks).toHaveLength(1);
  });
});

describe('slimReview of a series a review worker slimmed already', () => {
  const s = series({ title: 'demo', expected: 2 });
  const findings = [finding({ ruleId: 'revoke/removed-api', patch: 2, file: 'drivers/demo/part2.c', line: 10 })];

  it('takes the adopted slim series, copying only the verdicts', () => {
    const made = structuredClone(slimSeries(s, findings));
    adoptSlimSeries(s, findings, made);
    const r = review(s, findings);
    const slim = slimReview(r);
    expect(slim.series).toBe(made);
    expect(slim).toEqual(structuredClone({ ...r, series: slimSeries(s, findings) }));
    expect(slim.findings).not.toBe(findings);
  });

  it('slims the series itself when the findings are not the ones it was slimmed for', () => {
    const made = structuredClone(slimSeries(s, findings));
    adoptSlimSeries(s, findings, made);
    const slim = slimReview(review(s, [...findings]));
    expect(slim.series).not.toBe(made);
    expect(slim.series).toEqual(made);
  });
});
