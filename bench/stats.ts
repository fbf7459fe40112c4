// Small statistics and formatting helpers for the benchmark (pure, unit-tested).

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? NaN;
}

/** Throughput figures of one pass over an input. */
export interface PassFigures {
  wallMs: number;
  messages: number;
  /** Uncompressed input bytes. */
  bytes: number;
  peakRssKb: number;
}

export interface Rates {
  msgsPerSec: number;
  mbPerSec: number;
  peakRssMb: number;
}

export function rates(f: PassFigures): Rates {
  const s = f.wallMs / 1000;
  return { msgsPerSec: f.messages / s, mbPerSec: f.bytes / 1e6 / s, peakRssMb: f.peakRssKb / 1024 };
}

/** Least-squares slope and intercept of y over x, and how far the worst point is from the line (relative). */
export function linearFit(points: ReadonlyArray<{ x: number; y: number }>): { slope: number; intercept: number; maxRelDeviation: number } {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
  const intercept = my - slope * mx;
  const maxRelDeviation = Math.max(...points.map((p) => Math.abs(p.y - (intercept + slope * p.x)) / Math.max(Math.abs(p.y), 1e-9)));
  return { slope, intercept, maxRelDeviation };
}

/** The line the issue asks for, exactly: `bench: ratio R.RR, N msgs/s, peak RSS N MB`. */
export function summaryLine(ratio: number, msgsPerSec: number, peakRssMb: number): string {
  return `bench: ratio ${ratio.toFixed(2)}, ${Math.round(msgsPerSec)} msgs/s, peak RSS ${Math.round(peakRssMb)} MB`;
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
