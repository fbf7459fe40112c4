import { describe, expect, it } from 'vitest';
import type { Review, Series } from '../../bot/model.ts';
import { runPipeline } from '../../bot/pipeline.ts';
import { CollectingReporter } from '../../bot/reporters/collect.ts';
import { fakeSource, fakeStages } from '../helpers/fake-pipeline.ts';

// Reviews that finish out of order, as worker threads may: later series first.
function slowFirst(reviewed: Series[], closed: string[]) {
  const base = fakeStages(reviewed);
  let n = 0;
  return {
    ...base,
    reviewSeries: async (s: Series, o: Parameters<typeof base.reviewSeries>[1]): Promise<Review> => {
      const delay = 40 - 10 * n++;
      await new Promise((r) => setTimeout(r, Math.max(0, delay)));
      return base.reviewSeries(s, o);
    },
    close: async () => void closed.push('closed'),
  };
}

describe('runPipeline with reviews running ahead', () => {
  it('reports in submission order and keeps the latest revision, however the reviews finish', async () => {
    const collector = new CollectingReporter();
    const reviewed: Series[] = [];
    const closed: string[] = [];
    const problems: string[] = [];
    const summary = await runPipeline({
      sources: [fakeSource('mbox:a', ['crash|v1|1/1', 'revoke|v6|1/1', 'cma|v1|1/1', 'revoke|v7|1/1', 'dept|v1|1/1'])],
      reporters: [collector],
      stages: slowFirst(reviewed, closed),
      onProblem: (p) => problems.push(`${p.input}: ${p.message}`),
    });
    expect(collector.reviews.map((r) => `${r.series.title} v${r.series.revision}`)).toEqual(['revoke v7', 'cma v1', 'dept v1']);
    expect(problems).toEqual(['series "crash" v1: engine exploded']);
    expect(summary.otherRevisions).toBe(1);
    expect(closed).toEqual(['closed']);
  });

  it('does not review a series whose newer revision is already held', async () => {
    const reviewed: Series[] = [];
    await runPipeline({
      sources: [fakeSource('mbox:a', ['revoke|v7|1/1', 'cma|v1|1/1', 'cma|v2|1/1', 'dept|v1|1/1', 'revoke|v5|1/1'])],
      reporters: [],
      stages: fakeStages(reviewed),
      // Without the wait before review, which would spare cma v1 too (revision-lookahead.ts).
      lookaheadBytes: 0,
    });
    expect(reviewed.map((s) => `${s.title} v${s.revision}`)).toEqual(['revoke v7', 'cma v1', 'cma v2', 'dept v1']);
  });
});
