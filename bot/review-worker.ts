// The body of a review worker (see review-pool.ts): reviews the series it is sent with the rules
// of rules/index.ts named in the request and answers with the verdicts and the slim form of the
// series (what a held review keeps), so the main thread neither parses diffs nor slims series.
import { parentPort } from 'node:worker_threads';
import type { Review } from './model.ts';
import { fromWire, toWire, type WireSeries } from './series-wire.ts';
import { slimSeries } from './slim-review.ts';
import type { SeverityOrOff } from '../rules/engine/types.ts';
import { reviewSeries } from '../rules/engine/review.ts';
import { allRules } from '../rules/index.ts';
import { oneLine } from './errors.ts';

export interface WorkerRequest {
  id: number;
  series: WireSeries;
  ruleIds: string[];
  severities?: Record<string, SeverityOrOff>;
  budgetMs?: number;
  timing: boolean;
}

export type WorkerResponse =
  | { id: number; review: Omit<Review, 'series'>; slim: WireSeries; timings: Array<[string, number]> }
  | { id: number; error: string };

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  try {
    const wanted = new Set(req.ruleIds);
    const timings: Array<[string, number]> = [];
    const series = fromWire(req.series);
    const { series: _series, ...review } = await reviewSeries(series, {
      rules: allRules.filter((r) => wanted.has(r.meta.id)),
      ...(req.severities ? { severities: req.severities } : {}),
      ...(req.budgetMs !== undefined ? { budgetMs: req.budgetMs } : {}),
      ...(req.timing ? { onTiming: (id: string, ms: number) => void timings.push([id, ms]) } : {}),
    });
    return { id: req.id, review, slim: toWire(slimSeries(series, review.findings)), timings };
  } catch (err) {
    return { id: req.id, error: oneLine(err) };
  }
}

// Requests are handled one at a time, in the order they came.
let queue = Promise.resolve();
parentPort?.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => parentPort?.postMessage(await handle(req)));
});
