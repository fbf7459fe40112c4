import { afterAll, describe, expect, it } from 'vitest';
import { ReviewPool } from '../../bot/review-pool.ts';
import { slimReview } from '../../bot/slim-review.ts';
import { reviewSeries } from '../../rules/engine/review.ts';
import { allRules } from '../../rules/index.ts';
import { assembleSeries } from '../../bench/seed-latency.ts';
import { corpusPath } from '../helpers/corpus.ts';

const pool = new ReviewPool(1);
afterAll(() => pool.close());

describe('ReviewPool', () => {
  it('reviews in a worker thread exactly as in this thread, keeping the series object', async () => {
    const all = await assembleSeries([corpusPath('series/dma-buf-revoke-v5.mbox'), corpusPath('series/dept-v18.mbox')]);
    let series = all[0];
    let inThread = series && (await reviewSeries(structuredClone(series), { rules: allRules, severities: {} }));
    for (const s of all) {
      if (inThread && inThread.findings.length > 0) break;
      series = s;
      inThread = await reviewSeries(structuredClone(s), { rules: allRules, severities: {} });
    }
    if (!series || !inThread) throw new Error('no series');
    const timings: string[] = [];
    const ids = allRules.map((r) => r.meta.id);
    const inWorker = await pool.review(series, ids, { severities: {}, onTiming: (id) => void timings.push(id) }, 'x');
    expect(inWorker.series).toBe(series);
    expect(inWorker.findings).toEqual(inThread.findings);
    expect(inWorker.findings.length).toBeGreaterThan(0);
    expect(inWorker.rulesetVersion).toBe(inThread.rulesetVersion);
    expect(timings.sort()).toEqual([...ids].sort());
    // The slim form the worker sent back is the one slimming the series here gives.
    expect(slimReview(inWorker)).toEqual(slimReview({ ...inThread, series }));
  }, 60_000);
});
