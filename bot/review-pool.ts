// Reviews in worker threads: the review (C parsing and rules) is CPU-bound while reading and
// parsing mail is too, so on a multi-core machine the two overlap. Series go to a worker chosen by
// lineage (revisions share most hunks, and each worker caches the facts of hunks it has seen);
// results come back in whatever order and the pipeline restores submission order.
import { Worker } from 'node:worker_threads';
import type { Review, Series } from './model.ts';
import type { PipelineReviewOptions } from './pipeline.ts';
import type { WorkerRequest, WorkerResponse } from './review-worker.ts';
import { fromWire, toWire } from './series-wire.ts';
import { adoptSlimSeries } from './slim-review.ts';

const ENTRY = new URL('../bin/review-worker.js', import.meta.url);
// V8 grows a busy heap lazily; a cap keeps a worker's memory from growing with a long run (a cap
// of 256 MB cost no CPU on the archive; one series needs far less). Overridable for odd inputs.
const HEAP_ENV = 'DEPTBOT_WORKER_HEAP_MB';
const DEFAULT_HEAP_MB = 256;
// A worker parses the diffs it reviews, and nearly all of that dies young: a 16 MB young generation
// (V8 picks more) took ~20 MB off the peak RSS of a whole-archive run at no measurable CPU.
const YOUNG_GENERATION_MB = 16;

interface Pending {
  series: Series;
  onTiming?: (ruleId: string, ms: number) => void;
  resolve(r: Review): void;
  reject(e: Error): void;
}

export class ReviewPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(private readonly size: number) {}

  /** Reviews with the rules of rules/index.ts whose ids are `ruleIds`. */
  review(series: Series, ruleIds: readonly string[], opts: PipelineReviewOptions, route: string): Promise<Review> {
    const id = this.next++;
    const worker = this.workerFor(route);
    const request: WorkerRequest = { id, series: toWire(series), ruleIds: [...ruleIds], timing: opts.onTiming !== undefined };
    if (opts.severities) request.severities = opts.severities;
    if (opts.budgetMs !== undefined) request.budgetMs = opts.budgetMs;
    return new Promise<Review>((resolve, reject) => {
      const p: Pending = { series, resolve, reject };
      if (opts.onTiming) p.onTiming = opts.onTiming;
      this.pending.set(id, p);
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }

  private workerFor(route: string): Worker {
    let h = 0;
    for (let i = 0; i < route.length; i++) h = (h * 31 + route.charCodeAt(i)) | 0;
    const slot = Math.abs(h) % this.size;
    return (this.workers[slot] ??= this.start(slot));
  }

  private start(slot: number): Worker {
    const maxOldGenerationSizeMb = Number(process.env[HEAP_ENV]) || DEFAULT_HEAP_MB;
    const w = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    w.on('message', (m: WorkerResponse) => this.settle(m));
    w.on('error', (err) => this.failAll(err));
    w.on('exit', (code) => {
      // A dead worker leaves its slot, so the next series starts a new one instead of waiting forever.
      if (this.workers[slot] === w) delete this.workers[slot];
      if (code !== 0) this.failAll(new Error(`review worker exited with code ${code}`));
    });
    return w;
  }

  private settle(m: WorkerResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if ('error' in m) {
      p.reject(new Error(m.error));
      return;
    }
    for (const [ruleId, ms] of m.timings) p.onTiming?.(ruleId, ms);
    // The series stays the main thread's own object; the verdicts and its slim form crossed over.
    adoptSlimSeries(p.series, m.review.findings, fromWire(m.slim));
    p.resolve({ series: p.series, ...m.review });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
