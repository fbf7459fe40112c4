// Durations on the command line and in the config: "10m", "30s", "1h", "250ms"; a bare number is seconds.
import { UsageError } from '../errors.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The accepted syntax; the config schemas validate against it too. */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;

export function parseDuration(text: string, what = 'duration'): number {
  const m = DURATION_PATTERN.exec(text);
  if (!m) throw new UsageError(`${what}: "${text}" is not a duration (e.g. 10m, 30s, 500ms)`);
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000));
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
