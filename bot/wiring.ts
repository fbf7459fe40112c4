// The real stages and sources behind the pipeline, in one place so that the pipeline and the
// commands can be tested with fakes.
import { parseMessage } from './mail/parse-message.ts';
import { Mailbox, lineageKey } from './mail/mailbox.ts';
import { openInputs } from './sources/open-inputs.ts';
import { gitRangeSource } from './sources/git-range.ts';
import { availableParallelism } from 'node:os';
import { reviewSeries } from '../rules/engine/review.ts';
import { allRules } from '../rules/index.ts';
import { ReviewPool } from './review-pool.ts';
import type { PipelineStages } from './pipeline.ts';
import type { Source } from './sources/types.ts';

export interface SourceFactory {
  /** Files, directories, mbox (.gz), Maildir; '-' is stdin. */
  open(paths: string[], opts?: SourceLimits): Source[];
  /** Local commits as `git format-patch RANGE` would send them. */
  git(range: string, cwd: string, opts?: SourceLimits): Source;
}

/** [hardening] limits.maxMessageBytes: sources keep no more of a message than this. */
export interface SourceLimits {
  maxMessageBytes?: number;
}

export const defaultSources: SourceFactory = {
  open: (paths, opts) => openInputs(paths, opts),
  git: (range, cwd, opts) => gitRangeSource(range, cwd, opts),
};

export interface StageOptions extends SourceLimits {
  /** Review worker threads once a run has more than a few series (0 = always in this thread). */
  reviewWorkers?: number;
}

/** [hardening] maxMessageBytes: parseMessage's own cap (limits.maxMessageBytes; default 25 MB). */
export function defaultStages(opts: StageOptions = {}): PipelineStages {
  const parseOpts = opts.maxMessageBytes === undefined ? {} : { maxBytes: opts.maxMessageBytes };
  const review = reviewStage(opts.reviewWorkers ?? 0);
  return {
    parseMessage: (raw) => parseMessage(raw, parseOpts),
    createAssembler: () => {
      const mailbox = new Mailbox();
      return {
        add: (msg) => mailbox.add(msg),
        flush: () => mailbox.flush(),
        stats: () => mailbox.stats(),
      };
    },
    lineageKey,
    reviewSeries: review.reviewSeries,
    close: review.close,
  };
}

/** Workers for a review run: auto = one per core but one (the main thread reads and parses mail). */
export function autoReviewWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

// A worker costs about a second to start; a run of a few series is faster without one.
const IN_THREAD_SERIES = 3;

function reviewStage(workers: number): Pick<PipelineStages, 'reviewSeries' | 'close'> {
  let pool: ReviewPool | undefined;
  let seen = 0;
  return {
    reviewSeries: (series, opts) => {
      const rules = opts.rules ?? allRules;
      const known = rules.every((r) => allRules.includes(r));
      if (workers === 0 || seen++ < IN_THREAD_SERIES || opts.tree !== undefined || !known) return reviewSeries(series, opts);
      pool ??= new ReviewPool(workers);
      return pool.review(series, rules.map((r) => r.meta.id), opts, lineageKey(series));
    },
    close: async () => {
      await pool?.close();
      pool = undefined;
    },
  };
}
