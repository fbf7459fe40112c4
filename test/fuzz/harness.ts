// Shared fuzz harness: every input must give a result or a one-line InputError (any other throw
// is a failure), and no input may run past HANG_MS (a hang detector measured around each input,
// not a performance assertion). Each file counts its inputs and keeps its slowest one; the totals
// are written to $TMPDIR/deptbot-fuzz/<target>.json and printed, for the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';
import { InputError } from '../../bot/errors.ts';

/**
 * An input that takes longer than this is reported as a hang. The slowest real input takes ~0.6 s
 * on a quiet machine and 2.6 s was seen at load 12; the quadratic patterns this guards against took
 * 30 s and more, so 10 s separates a hang from a busy machine without becoming a speed assertion.
 */
export const HANG_MS = 10_000;

/** FUZZ_RUNS=N multiplies the default number of runs by N/100 (default 100: the CI size). */
export function runs(base: number): number {
  const scale = Number(process.env.FUZZ_RUNS ?? 100) / 100;
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** Seed for every fast-check run: FUZZ_SEED to replay, else fixed so CI is reproducible. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20260408);

export interface FuzzStats {
  target: string;
  inputs: number;
  inputErrors: number;
  slowest: { label: string; ms: number };
}

export class FuzzTally {
  readonly stats: FuzzStats;

  constructor(target: string) {
    this.stats = { target, inputs: 0, inputErrors: 0, slowest: { label: '', ms: 0 } };
  }

  /**
   * Runs one input. Returns the result, or undefined for an InputError (one line, naming the
   * input). Any other error fails the test, as does a run longer than HANG_MS.
   */
  async run<T>(label: string, work: () => T | Promise<T>): Promise<T | undefined> {
    this.stats.inputs++;
    const t0 = performance.now();
    let result: T | undefined;
    try {
      result = await work();
    } catch (err) {
      if (!(err instanceof InputError)) throw new Error(`${this.stats.target}: ${label}: crashed: ${err instanceof Error ? err.stack : String(err)}`);
      expect(err.message, `${label}: InputError must be one line`).not.toMatch(/[\r\n]/);
      this.stats.inputErrors++;
    }
    const ms = performance.now() - t0;
    if (ms > this.stats.slowest.ms) this.stats.slowest = { label, ms: Math.round(ms * 10) / 10 };
    if (ms > HANG_MS) throw new Error(`${this.stats.target}: ${label}: took ${Math.round(ms)} ms (hang limit ${HANG_MS} ms)`);
    return result;
  }

  /** Writes and prints the tally (call in afterAll). */
  write(): string {
    const dir = join(tmpdir(), 'deptbot-fuzz');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.stats.target}.json`);
    writeFileSync(file, `${JSON.stringify(this.stats, null, 2)}\n`);
    console.log(`[fuzz] ${this.stats.target}: ${this.stats.inputs} inputs (${this.stats.inputErrors} InputError), slowest ${this.stats.slowest.ms} ms: ${this.stats.slowest.label} -> ${file}`);
    return file;
  }
}

/** A short label for an input: its length and head, control characters escaped. */
export function describe(input: string | Buffer): string {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  return `${text.length} chars ${JSON.stringify(text.slice(0, 40))}`;
}
