// Real messages for the fuzzers: every message of the series mboxes and a spread of the archive,
// read through the same sources the review command uses (never copied into the repository).
import { readdirSync } from 'node:fs';
import { openInputs } from '../../bot/sources/open-inputs.ts';
import { corpusPath, sharedCorpus } from '../helpers/corpus.ts';
import { join } from 'node:path';

export interface Sample {
  label: string;
  data: Buffer;
}

async function collect(path: string, label: string, take: (i: number) => boolean, max: number): Promise<Sample[]> {
  const out: Sample[] = [];
  let i = 0;
  for (const source of openInputs([path])) {
    for await (const m of source.messages()) {
      if (take(i++) && m.data.length > 0) out.push({ label: `${label}${m.locator}`, data: m.data });
      if (out.length >= max) return out;
    }
  }
  return out;
}

let cached: Promise<Sample[]> | undefined;

/** About `size` real messages: half from series/*.mbox, half every 10th of the archive's head. */
export function corpusSample(size = 200): Promise<Sample[]> {
  cached ??= (async () => {
    const series: Sample[] = [];
    for (const name of readdirSync(join(sharedCorpus, 'series')).filter((n) => n.endsWith('.mbox')).sort()) {
      series.push(...(await collect(corpusPath(`series/${name}`), name, () => true, 1000)));
    }
    const half = Math.floor(size / 2);
    const stride = Math.max(1, Math.floor(series.length / half));
    const fromSeries = series.filter((_, i) => i % stride === 0).slice(0, half);
    const archive = await collect(corpusPath('linaro-mm-sig-2019-2026q1.mbox.gz'), 'archive', (i) => i % 10 === 0, size - fromSeries.length);
    return [...fromSeries, ...archive];
  })();
  return cached;
}
