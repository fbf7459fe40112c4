// `npm run bench [-- --scale] [-- --json FILE] [-- --archive FILE]`: the throughput benchmark of
// issue 7. Baseline (cheapest pass over the bytes) and pipeline (`deptbot review`, every rule on,
// JSON discarded) run as child processes on the same archive; then review latency over the seed
// series; with --scale, the pipeline on generated traffic at 1x, 2x and 4x. Figures, never asserts.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPath } from '../test/helpers/corpus.ts';
import { runBaseline, runPipelineChild } from './child.ts';
import type { BaselineRun, PipelineRun } from './child.ts';
import { generateTraffic } from './generate.ts';
import { seedLatency } from './seed-latency.ts';
import type { SeedLatency } from './seed-latency.ts';
import { fmt, linearFit, rates, summaryLine } from './stats.ts';

interface ScalePoint {
  factor: number;
  messages: number;
  mb: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  msgsPerSec: number;
}

interface Args {
  archive: string;
  json?: string;
  scale: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { archive: '', scale: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--scale') args.scale = true;
    else if (a === '--json') args.json = argv[++i];
    else if (a === '--archive') args.archive = argv[++i] ?? '';
    else throw new Error(`bench: unknown argument ${a} (use --scale, --json FILE, --archive FILE)`);
  }
  args.archive ||= corpusPath('linaro-mm-sig-2019-2026q1.mbox.gz');
  return args;
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

function passLine(name: string, wallMs: number, messages: number, bytes: number, peakRssKb: number, cpuMs: number): void {
  const r = rates({ wallMs, messages, bytes, peakRssKb });
  say(`${name.padEnd(9)} ${fmt(wallMs / 1000, 2).padStart(6)} s wall (${fmt(cpuMs / 1000, 1)} s CPU), ${Math.round(r.msgsPerSec)} msgs/s, ${fmt(r.mbPerSec)} MB/s, peak RSS ${Math.round(r.peakRssMb)} MB`);
}

interface Scaling {
  points: ScalePoint[];
  /** Least-squares fit of wall time (and CPU time) over the factor; worst point's distance from it. */
  msPerX: number;
  maxRelDeviation: number;
  cpuMsPerX: number;
  cpuMaxRelDeviation: number;
}

async function scaling(archive: string): Promise<Scaling> {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-scale-'));
  const points: ScalePoint[] = [];
  try {
    for (const factor of [1, 2, 4]) {
      const file = join(dir, `traffic-${factor}x.mbox`);
      const gen = await generateTraffic({ archive, out: file, factor });
      const run = await runPipelineChild(file);
      rmSync(file, { force: true });
      const r = rates({ wallMs: run.wallMs, messages: gen.messages, bytes: gen.bytes, peakRssKb: run.timing.peakRssKb });
      const p = { factor, messages: gen.messages, mb: gen.bytes / 1e6, wallMs: run.wallMs, cpuMs: run.timing.cpuMs, peakRssMb: r.peakRssMb, msgsPerSec: r.msgsPerSec };
      points.push(p);
      say(`scale ${factor}x: ${p.messages} msgs, ${Math.round(p.mb)} MB, ${fmt(p.wallMs / 1000, 1)} s (${fmt(p.cpuMs / 1000, 1)} s CPU), ${Math.round(p.msgsPerSec)} msgs/s, peak RSS ${Math.round(p.peakRssMb)} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const fit = linearFit(points.map((p) => ({ x: p.factor, y: p.wallMs })));
  const cpu = linearFit(points.map((p) => ({ x: p.factor, y: p.cpuMs })));
  return { points, maxRelDeviation: fit.maxRelDeviation, msPerX: fit.slope, cpuMaxRelDeviation: cpu.maxRelDeviation, cpuMsPerX: cpu.slope };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const input = statSync(args.archive);
  say(`bench: ${args.archive} (${Math.round(input.size / 1e6)} MB on disk), ${availableParallelism()} cores, load average ${loadavg().map((l) => fmt(l, 2)).join(' ')}`);

  const baseline: BaselineRun = await runBaseline(args.archive);
  passLine('baseline', baseline.wallMs, baseline.messages, baseline.bytes, baseline.peakRssKb, baseline.cpuMs);
  const pipeline: PipelineRun = await runPipelineChild(args.archive);
  const t = pipeline.timing;
  passLine('pipeline', pipeline.wallMs, baseline.messages, baseline.bytes, t.peakRssKb, t.cpuMs);
  const ratio = pipeline.wallMs / baseline.wallMs;
  // On a shared machine wall time depends on the load; CPU time says what the work costs.
  const cpuRatio = t.cpuMs / baseline.cpuMs;
  say(`ratio pipeline/baseline ${fmt(ratio, 2)} (target <= 2.00); CPU time ratio ${fmt(cpuRatio, 2)}`);

  const slowRules = Object.entries(t.rules).sort((a, b) => b[1] - a[1]).slice(0, 5);
  say(`rules: ${fmt(t.ruleMs / 1000, 2)} s over ${t.series} series = ${fmt((100 * t.ruleMs) / pipeline.wallMs)}% of the pipeline's wall time (C parsing is not rule time)`);
  say(`slowest rules: ${slowRules.map(([id, ms]) => `${id} ${Math.round(ms)} ms`).join(', ')}`);
  const slowest = t.slowest[0];
  if (slowest) say(`slowest series: "${slowest.title}" v${slowest.revision} (${slowest.patches} patches), ${fmt(slowest.ruleMs)} ms of rule time; ${t.over200ms} series over 200 ms`);

  const seeds: SeedLatency = await seedLatency();
  say(`seed series latency (${seeds.series} series x ${seeds.samples / Math.max(seeds.series, 1)} rounds): p50 ${fmt(seeds.p50Ms)} ms, p99 ${fmt(seeds.p99Ms)} ms (slowest "${seeds.slowest.title}")`);

  const scale = args.scale ? await scaling(args.archive) : undefined;
  if (scale) {
    say(`scaling: ${fmt(scale.msPerX / 1000, 1)} s wall per 1x of traffic, worst point ${fmt(100 * scale.maxRelDeviation)}% off a straight line; ` +
      `CPU ${fmt(scale.cpuMsPerX / 1000, 1)} s per 1x, worst point ${fmt(100 * scale.cpuMaxRelDeviation)}% off`);
  }

  const pr = rates({ wallMs: pipeline.wallMs, messages: baseline.messages, bytes: baseline.bytes, peakRssKb: t.peakRssKb });
  if (args.json) {
    const figures = {
      machine: { cores: availableParallelism(), loadavg: loadavg() },
      archive: args.archive,
      baseline: { ...baseline, ...rates({ ...baseline }) },
      pipeline: { wallMs: pipeline.wallMs, messages: baseline.messages, bytes: baseline.bytes, ...pr, cpuMs: t.cpuMs },
      ratio,
      cpuRatio,
      rules: { totalMs: t.ruleMs, sharePercent: (100 * t.ruleMs) / pipeline.wallMs, slowest: Object.fromEntries(slowRules), perRule: t.rules },
      series: { reviewed: t.series, slowest: t.slowest, over200ms: t.over200ms },
      seedLatency: seeds,
      ...(scale ? { scaling: scale } : {}),
    };
    writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
  }
  say(summaryLine(ratio, pr.msgsPerSec, pr.peakRssMb));
  return 0;
}
