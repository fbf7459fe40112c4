// Review latency per series over the seed series (corpus/series/*.mbox): each assembled series is
// reviewed `rounds` times, each time a fresh copy (facts are cached per patch object), with the C
// parser already loaded, as the watcher would see it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Series } from '../bot/model.ts';
import { runPipeline } from '../bot/pipeline.ts';
import { defaultSources, defaultStages } from '../bot/wiring.ts';
import { loadCParser } from '../rules/engine/facts/parser.ts';
import { reviewSeries } from '../rules/engine/review.ts';
import { allRules } from '../rules/index.ts';
import { corpusPath } from '../test/helpers/corpus.ts';
import { percentile } from './stats.ts';

export interface SeedLatency {
  series: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  slowest: { title: string; ms: number };
}

/** Every series of the given mbox files, as the pipeline assembles them (all revisions). */
export async function assembleSeries(files: readonly string[]): Promise<Series[]> {
  const out: Series[] = [];
  const stages = defaultStages();
  stages.reviewSeries = async (series) => {
    out.push(series);
    return { series, findings: [], ruleErrors: [], notes: [], rulesetVersion: '' };
  };
  await runPipeline({ sources: defaultSources.open([...files]), reporters: [], stages, revisions: { mode: 'all' } });
  return out;
}

export async function seedLatency(rounds = 5): Promise<SeedLatency> {
  const dir = corpusPath('series');
  const files = readdirSync(dir).filter((f) => f.endsWith('.mbox')).sort().map((f) => join(dir, f));
  const series = await assembleSeries(files);
  await loadCParser();
  const samples: number[] = [];
  let slowest = { title: '', ms: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const s of series) {
      const copy = structuredClone(s);
      const t0 = performance.now();
      await reviewSeries(copy, { rules: allRules });
      const ms = performance.now() - t0;
      samples.push(ms);
      if (ms > slowest.ms) slowest = { title: s.title, ms };
    }
  }
  return { series: series.length, samples: samples.length, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), maxMs: Math.max(...samples), slowest };
}
