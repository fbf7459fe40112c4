// Rule timing of a review run for `npm run bench`: when DEPTBOT_TIMING_FILE names a file, the
// review command records each rule's time per series and writes a summary there at the end,
// with the process's peak RSS. Never shown to users; costs nothing when the variable is unset.
import { writeFileSync } from 'node:fs';
import type { Series } from './model.ts';

export const TIMING_ENV = 'DEPTBOT_TIMING_FILE';

export interface SeriesTiming {
  title: string;
  revision: number;
  patches: number;
  /** Sum of all rules' time on this series. */
  ruleMs: number;
}

export interface ReviewTimingReport {
  /** Reviewed series (every revision the run reviewed, chosen or not). */
  series: number;
  ruleMs: number;
  /** Rule id -> total ms over the run. */
  rules: Record<string, number>;
  /** The series with the most rule time, slowest first (at most 10). */
  slowest: SeriesTiming[];
  /** Series whose rule time exceeded 200 ms. */
  over200ms: number;
  peakRssKb: number;
  /** User + system CPU time of the process (all threads). */
  cpuMs: number;
  wallMs: number;
}

export class ReviewTiming {
  private readonly rules = new Map<string, number>();
  // Weak: the timing must not keep whole series (hunks and all) alive until the end of a run.
  private readonly perSeries = new WeakMap<Series, SeriesTiming>();
  private readonly all: SeriesTiming[] = [];
  private readonly started = performance.now();

  add(series: Series, ruleId: string, ms: number): void {
    this.rules.set(ruleId, (this.rules.get(ruleId) ?? 0) + ms);
    let t = this.perSeries.get(series);
    if (!t) {
      t = { title: series.title, revision: series.revision, patches: series.patches.length, ruleMs: 0 };
      this.perSeries.set(series, t);
      this.all.push(t);
    }
    t.ruleMs += ms;
  }

  report(): ReviewTimingReport {
    const all = [...this.all].sort((a, b) => b.ruleMs - a.ruleMs);
    const usage = process.resourceUsage();
    return {
      series: all.length,
      ruleMs: [...this.rules.values()].reduce((a, b) => a + b, 0),
      rules: Object.fromEntries(this.rules),
      slowest: all.slice(0, 10),
      over200ms: all.filter((t) => t.ruleMs > 200).length,
      peakRssKb: usage.maxRSS,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      wallMs: performance.now() - this.started,
    };
  }

  write(file: string): void {
    writeFileSync(file, JSON.stringify(this.report(), null, 2));
  }
}

/** A timing recorder when the environment asks for one. */
export function timingFromEnv(env: NodeJS.ProcessEnv): { timing: ReviewTiming; file: string } | undefined {
  const file = env[TIMING_ENV];
  return file ? { timing: new ReviewTiming(), file } : undefined;
}
