// Runs one measured pass as a child process, so that its wall time and peak RSS are its own.
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReviewTimingReport } from '../bot/review-timing.ts';
import { TIMING_ENV } from '../bot/review-timing.ts';
import { repoRoot } from '../test/helpers/corpus.ts';
import type { BaselineCounts } from './baseline.ts';

export interface ChildRun {
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` (node itself by default) as a measured child. */
function run(args: string[], env: NodeJS.ProcessEnv, keepStdout: boolean, command = process.execPath): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ wallMs: performance.now() - started, code, stdout, stderr }));
  });
}

export interface BaselineRun extends BaselineCounts {
  wallMs: number;
  peakRssKb: number;
  cpuMs: number;
}

/**
 * The baseline as plain JavaScript (esbuild, as the bin runs the pipeline), so that neither pass
 * pays for compiling TypeScript at start-up: tsx alone would add ~0.25 s to the baseline.
 */
export async function runBaseline(input: string): Promise<BaselineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-baseline-'));
  try {
    const script = join(dir, 'baseline.mjs');
    await build({ entryPoints: [join(repoRoot, 'bench/baseline.ts')], outfile: script, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' });
    const r = await run([script, input], {}, true);
    if (r.code !== 0) throw new Error(`baseline failed (${r.code}): ${r.stderr.trim()}`);
    return { ...(JSON.parse(r.stdout) as Omit<BaselineRun, 'wallMs'>), wallMs: r.wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PipelineRun {
  wallMs: number;
  timing: ReviewTimingReport;
}

/** `deptbot review --format json INPUT` with the JSON discarded; exit 0 or 1 (findings) is success. */
export async function runPipelineChild(input: string, extraArgs: string[] = []): Promise<PipelineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-bench-'));
  const file = join(dir, 'timing.json');
  try {
    // The bin itself, as users run it: its shebang sets the node flags (the heap cap).
    const r = await run(['review', '--format', 'json', ...extraArgs, input], { [TIMING_ENV]: file }, false, join(repoRoot, 'bin/deptbot.js'));
    if (r.code !== 0 && r.code !== 1) throw new Error(`deptbot review failed (${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return { wallMs: r.wallMs, timing: JSON.parse(readFileSync(file, 'utf8')) as ReviewTimingReport };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
