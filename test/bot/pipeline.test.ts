import { describe, expect, it } from 'vitest';
import type { Series } from '../../bot/model.ts';
import { runPipeline } from '../../bot/pipeline.ts';
import type { RevisionChoice } from '../../bot/revision-selector.ts';
import { CollectingReporter } from '../../bot/reporters/collect.ts';
import { fakeSource as source, fakeStages as stages } from '../helpers/fake-pipeline.ts';

async function run(lines: string[], revisions?: RevisionChoice, lookaheadBytes?: number) {
  const collector = new CollectingReporter();
  const reviewed: Series[] = [];
  const problems: string[] = [];
  const summary = await runPipeline({
    sources: [source('mbox:a', lines)],
    reporters: [collector],
    stages: stages(reviewed),
    ...(revisions ? { revisions } : {}),
    ...(lookaheadBytes !== undefined ? { lookaheadBytes } : {}),
    onProblem: (p) => problems.push(`${p.input}: ${p.message}`),
  });
  return { summary, reviews: collector.reviews, reviewed, problems };
}

const revoke = (rev: number, m = 2): string[] => Array.from({ length: m }, (_, i) => `revoke|v${rev}|${i + 1}/${m}`);

describe('runPipeline', () => {
  it('reviews complete series as they complete and counts everything', async () => {
    const { summary, reviews, problems } = await run(['re', ...revoke(1), 'spam', 'cma|v1|1/1', 're']);
    expect(reviews.map((r) => r.series.title)).toEqual(['revoke', 'cma']);
    expect(summary).toMatchObject({ messages: 6, series: 2, patches: 3, followUps: 2, skipped: { 'not a patch': 1 } });
    expect(summary.findings).toEqual({ error: 3, warning: 0, info: 0 });
    expect(problems).toEqual([]);
  });

  it('turns bad messages and failing sources into one-line problems and goes on', async () => {
    const collector = new CollectingReporter();
    const problems: string[] = [];
    const summary = await runPipeline({
      sources: [source('mbox:a', ['bad', 'cma|v1|1/1'], 'truncated mbox'), source('mbox:b', ['dept|v1|1/1'])],
      reporters: [collector],
      stages: stages(),
      onProblem: (p) => problems.push(`${p.input}: ${p.message}`),
    });
    expect(problems).toEqual(['mbox:a#1: not a mail message', 'mbox:a: truncated mbox']);
    expect(summary.problems).toHaveLength(2);
    expect(collector.reviews.map((r) => r.series.title)).toEqual(['cma', 'dept']);
  });

  it('reports an engine failure on one series as a problem and reviews the others', async () => {
    const { reviews, problems } = await run(['crash|v1|1/1', 'cma|v1|1/1']);
    expect(problems).toEqual(['series "crash" v1: engine exploded']);
    expect(reviews.map((r) => r.series.title)).toEqual(['cma']);
  });

  it('flushes incomplete series at the end and reviews them too', async () => {
    const { reviews } = await run(['revoke|v1|1/3', 'revoke|v1|3/3']);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]?.series).toMatchObject({ complete: false, missing: [2] });
  });

  it('keeps the latest revision per lineage by default, whatever the input order', async () => {
    const { reviews, summary, reviewed } = await run([...revoke(6), ...revoke(7), ...revoke(5), 'cma|v1|1/1']);
    expect(reviews.map((r) => `${r.series.title} v${r.series.revision}`)).toEqual(['revoke v7', 'cma v1']);
    expect(summary.otherRevisions).toBe(2);
    // v6 and v5 meet v7 while it waits for review: neither is reviewed.
    expect(reviewed.map((s) => s.revision)).toEqual([7, 1]);
  });

  it('without the wait, reviews what it cannot yet know is superseded, and nothing already superseded', async () => {
    const { reviews, summary, reviewed } = await run([...revoke(6), ...revoke(7), ...revoke(5), 'cma|v1|1/1'], undefined, 0);
    expect(reviews.map((r) => `${r.series.title} v${r.series.revision}`)).toEqual(['revoke v7', 'cma v1']);
    expect(summary.otherRevisions).toBe(2);
    // v5 arrives after v7 is held: not reviewed at all.
    expect(reviewed.map((s) => s.revision)).toEqual([6, 7, 1]);
  });

  it('reports a lineage where it was first seen, even when its first revision was never reviewed', async () => {
    const { reviews, reviewed } = await run([...revoke(6), 'cma|v1|1/1', ...revoke(7)]);
    expect(reviews.map((r) => `${r.series.title} v${r.series.revision}`)).toEqual(['revoke v7', 'cma v1']);
    expect(reviewed.map((s) => `${s.title} v${s.revision}`)).toEqual(['cma v1', 'revoke v7']);
  });

  it('reviews a series only once it leaves the wait: at the end of the input, or at once with no budget', async () => {
    const lines = ['cma|v1|1/1', 'dept|v1|1/1', ...revoke(1)];
    const reviewedWhenRead = async (lookaheadBytes?: number): Promise<number[]> => {
      const reviewed: Series[] = [];
      const counts: number[] = [];
      await runPipeline({
        sources: [source('mbox:a', lines)],
        reporters: [],
        stages: stages(reviewed),
        onMessage: () => counts.push(reviewed.length),
        ...(lookaheadBytes !== undefined ? { lookaheadBytes } : {}),
      });
      expect(reviewed.map((s) => s.title)).toEqual(['cma', 'dept', 'revoke']);
      return counts;
    };
    expect(await reviewedWhenRead()).toEqual([0, 0, 0, 0]);
    expect(await reviewedWhenRead(0)).toEqual([0, 1, 2, 2]);
  });

  it('reviews all revisions with mode all, ascending per lineage', async () => {
    const { reviews } = await run([...revoke(6), 'cma|v1|1/1', ...revoke(7), ...revoke(5)], { mode: 'all' });
    expect(reviews.map((r) => `${r.series.title} v${r.series.revision}`)).toEqual(['revoke v5', 'revoke v6', 'revoke v7', 'cma v1']);
  });

  it('reviews only the asked revision, and says so when no series has it', async () => {
    const only6 = await run([...revoke(6), ...revoke(7)], { mode: 'only', revision: 6 });
    expect(only6.reviews.map((r) => r.series.revision)).toEqual([6]);
    expect(only6.reviewed.map((s) => s.revision)).toEqual([6]);
    const none = await run([...revoke(6), ...revoke(7)], { mode: 'only', revision: 9 });
    expect(none.reviews).toEqual([]);
    expect(none.problems).toEqual(['--revision: no series has revision 9 (found: 6, 7)']);
  });

  it('hands reporters slim reviews: no bodies; paths, ids and the hunks of patches with findings kept', async () => {
    const { reviews } = await run(revoke(1));
    const patch = reviews[0]?.series.patches[0];
    expect(patch?.files[0]?.path).toBe('a.c');
    // The fake review gives every patch a finding, so its hunks stay for quoting (see slim-review.test.ts).
    expect(patch?.files[0]?.hunks).toHaveLength(1);
    expect(patch?.message.body).toBe('');
    expect(patch?.message.id).toBe('revoke|v1|1/2@t');
  });

  it('closes every reporter once at the end', async () => {
    let closed = 0;
    await runPipeline({
      sources: [source('mbox:a', revoke(1))],
      reporters: [{ report: async () => {}, close: async () => void closed++ }, { report: async () => {} }],
      stages: stages(),
    });
    expect(closed).toBe(1);
  });
});
