// The watcher's core: one message in -> stored (or quarantined) with its checkpoint; a series that
// is complete or quiet -> assembled, reviewed, handed to every reporter, recorded as reviewed.
//
// Crash safety: a message and its checkpoint commit together. A review is recorded only after every
// reporter returned, and reporters are idempotent per review (deterministic names and Message-IDs),
// so a crash between reporting and recording repeats the same output instead of adding a second.
import { createHash } from 'node:crypto';
import type { Message, RawMessage, Review, Series } from '../model.ts';
import type { PipelineReviewOptions, SeriesAssembler } from '../pipeline.ts';
import type { Reporter } from '../reporters/types.ts';
import type { Delivery, SeriesForReview, StoredMessage, WatchState } from '../store/watch-state.ts';
import { InputError, oneLine } from '../errors.ts';
import { classify } from './classify.ts';
import { crashPoint } from './crash-points.ts';
import { formatDuration } from './duration.ts';
import type { Logger } from './log.ts';
import { reviewId } from './review-id.ts';
import type { WatchedRaw } from './types.ts';

/** The stages the watcher runs (the same contracts as bot/pipeline.ts). */
export interface WatchStages {
  parseMessage(raw: RawMessage): Promise<Message>;
  createAssembler(): SeriesAssembler;
  reviewSeries(series: Series, opts: PipelineReviewOptions): Promise<Review>;
}

export interface ProcessorOptions {
  state: WatchState;
  stages: WatchStages;
  reporters: readonly Reporter[];
  review?: PipelineReviewOptions;
  quietMs: number;
  log: Logger;
  /** Review attempts before a series is parked as failed. */
  maxAttempts?: number;
  /** Wait before retrying a failed review, in ms. */
  retryMs?: number;
  now?: () => number;
}

export interface ProcessorCounts {
  messages: number;
  quarantined: number;
  duplicates: number;
  reviews: number;
}

export class WatchProcessor {
  readonly counts: ProcessorCounts = { messages: 0, quarantined: 0, duplicates: 0, reviews: 0 };
  private readonly retryAt = new Map<number, number>();
  private readonly now: () => number;

  constructor(private readonly opts: ProcessorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Stores one delivered message and reviews its series if that made it complete. */
  async ingest(raw: WatchedRaw, sourceKind: string): Promise<void> {
    const { state, log } = this.opts;
    this.counts.messages++;
    const d: Delivery = {
      source: raw.source,
      sourceKind,
      locator: raw.locator,
      checkpoint: raw.checkpoint,
      contentHash: createHash('sha256').update(raw.data).digest('hex'),
      raw: raw.data,
      at: this.now(),
    };
    if (state.deliveryKnown(d.source, d.locator)) {
      state.recordSkip(d);
      this.counts.duplicates++;
      return;
    }
    let msg: Message;
    try {
      // A file of bare diff text is fine for `deptbot review`, but from a mail source it is junk.
      if (!looksLikeMail(raw.data)) throw new InputError(`${raw.source}${raw.locator}`, 'not a mail message (no header fields)');
      msg = await this.opts.stages.parseMessage(raw);
    } catch (err) {
      const reason = err instanceof InputError ? err.problem : oneLine(err);
      this.counts.quarantined++;
      // Logged once: a redelivery of the same (source, locator) finds the row and stays quiet.
      if (state.recordQuarantine(d, reason)) log.warn({ source: d.source, locator: d.locator, reason }, 'message quarantined');
      return;
    }
    const c = classify(msg, d.contentHash, (id, rev) => state.coverIdentity(id, rev));
    const res = state.recordMessage(d, c);
    crashPoint('after-record');
    if (res.outcome === 'duplicate') this.counts.duplicates++;
    if (res.kind === 'conflict') {
      log.warn({ source: d.source, locator: d.locator, messageId: c.messageId }, 'Message-ID seen before with different content; kept apart');
    } else if (res.kind === 'stray') {
      log.info({ messageId: c.messageId, counter: c.counter }, 'patch counter already taken in its series; not reviewed');
    }
    log.debug({ source: d.source, locator: d.locator, kind: res.kind, outcome: res.outcome, series: res.seriesId }, 'message');
    if (res.seriesId !== undefined && res.seriesState === 'complete') await this.reviewOne(res.seriesId, true);
  }

  /** Reviews every series that is complete, or pending and quiet for the quiet period. */
  async reviewDue(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    for (const due of this.opts.state.dueSeries(now - this.opts.quietMs)) {
      if (signal?.aborted) return;
      if ((this.retryAt.get(due.id) ?? 0) > now) continue;
      await this.reviewOne(due.id, due.complete);
    }
  }

  /** When the next pending series becomes quiet (ms since epoch), if any is pending. */
  nextQuietDeadline(): number | undefined {
    const oldest = this.opts.state.oldestPendingArrival();
    const retry = Math.min(...this.retryAt.values());
    const quiet = oldest === undefined ? Infinity : oldest + this.opts.quietMs;
    const next = Math.min(quiet, retry);
    return Number.isFinite(next) ? next : undefined;
  }

  private async reviewOne(seriesId: number, complete: boolean): Promise<void> {
    const { state, log } = this.opts;
    const data = state.seriesForReview(seriesId);
    if (!data || data.patches.length === 0) return;
    try {
      const reviews = await this.reviewParts(data, complete);
      crashPoint('after-report');
      const findings = reviews.reduce((n, r) => n + r.findings.length, 0);
      const first = reviews[0];
      state.recordReview({
        seriesId,
        seriesKey: first?.series.key ?? data.series.anchor,
        revision: data.series.revision,
        rulesetVersion: first?.rulesetVersion ?? 'none',
        patchRows: data.patches.map((p) => p.rowId),
        patchIds: data.patches.map((p) => p.messageId),
        complete,
        findings,
        output: reviews.map(reviewId).join(' '),
        at: this.now(),
      });
      crashPoint('after-review-record');
      this.retryAt.delete(seriesId);
      this.counts.reviews++;
      log.info(
        { series: data.series.title, revision: data.series.revision, patches: data.patches.length, complete, findings },
        'series reviewed',
      );
    } catch (err) {
      const message = oneLine(err);
      const after = state.recordReviewFailure(seriesId, message, this.opts.maxAttempts ?? 3, this.now());
      this.retryAt.set(seriesId, this.now() + (this.opts.retryMs ?? 30_000));
      if (after === 'failed') this.retryAt.delete(seriesId);
      log.error({ series: data.series.title, err: message, state: after }, 'review failed');
    }
  }

  /** Parses the stored messages again, assembles them and reviews and reports each series. */
  private async reviewParts(data: SeriesForReview, complete: boolean): Promise<Review[]> {
    const stored: StoredMessage[] = data.cover ? [data.cover, ...data.patches] : [...data.patches];
    const asm = this.opts.stages.createAssembler();
    const assembled: Series[] = [];
    for (const s of stored) {
      const msg = await this.opts.stages.parseMessage({ source: s.source, locator: s.locator, data: s.raw });
      assembled.push(...asm.add(msg));
    }
    assembled.push(...asm.flush());
    if (assembled.length === 0) throw new Error('series assembly produced no series');
    const reviews: Review[] = [];
    for (const series of assembled) {
      const annotated = { ...series, notes: [...series.notes, ...this.notes(data, complete)] };
      const review = await this.opts.stages.reviewSeries(annotated, this.opts.review ?? {});
      crashPoint('before-report');
      for (const reporter of this.opts.reporters) await reporter.report(review);
      reviews.push(review);
    }
    return reviews;
  }

  private notes(data: SeriesForReview, complete: boolean): string[] {
    const notes: string[] = [];
    const late = data.patches.map((p) => p.counter ?? 0);
    if (data.reviewedCounters.length > 0) {
      notes.push(
        `late patches ${late.join(', ')} of ${data.series.expected}: patches ${[...data.reviewedCounters].sort((a, b) => a - b).join(', ')} ` +
          'were reviewed earlier; this review covers only the late patches',
      );
    }
    if (!complete) {
      const have = new Set([...late, ...data.reviewedCounters]);
      const missing: number[] = [];
      for (let i = 1; i <= data.series.expected; i++) if (!have.has(i)) missing.push(i);
      notes.push(
        `incomplete: reviewed after ${formatDuration(this.opts.quietMs)} without new patches; missing ${missing.join(', ')} of ${data.series.expected}`,
      );
    }
    return notes;
  }
}

/** True when the data starts (after an optional mbox "From " line) with a header field. */
export function looksLikeMail(data: Buffer): boolean {
  let text = data.subarray(0, 2048).toString('latin1');
  if (text.startsWith('From ')) text = text.slice(text.indexOf('\n') + 1);
  return /^[!-9;-~]+[ \t]*:/.test(text);
}
