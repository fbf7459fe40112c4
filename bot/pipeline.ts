// The one place that wires the stages, one way: sources -> parse -> series assembly -> review ->
// reporters. Commands pick sources, reporters and options; they never reach into the stages.
import type { InputProblem, Message, RawMessage, Review, Series } from './model.ts';
import type { Reporter } from './reporters/types.ts';
import type { Source } from './sources/types.ts';
import type { Rule, SeverityOrOff } from '../rules/engine/types.ts';
import { InputError, oneLine } from './errors.ts';
import { RevisionLookahead } from './revision-lookahead.ts';
import { RevisionSelector, type RevisionChoice } from './revision-selector.ts';
import { emptySummary, type RunSummary } from './run-summary.ts';

/** What the pipeline passes to the rule engine (the contract of rules/engine/review.ts). */
export interface PipelineReviewOptions {
  rules?: readonly Rule[];
  severities?: Record<string, SeverityOrOff>;
  tree?: string;
  budgetMs?: number;
  /** Side channel for the benchmark: total ms each rule spent on this series. */
  onTiming?: (ruleId: string, ms: number) => void;
}

/** Counts the series assembler keeps about messages that did not become patches. */
export interface AssemblyStats {
  followUps: number;
  /** Reason -> number of messages skipped for it. */
  skipped: Record<string, number>;
}

/** Series assembly as bot/mail/mailbox.ts provides it. */
export interface SeriesAssembler {
  /** Returns the series that just became complete. */
  add(msg: Message): Series[];
  /** Returns every series not yet returned, incomplete ones included. */
  flush(): Series[];
  stats(): AssemblyStats;
}

/** The stages, injectable so that the wiring can be tested on its own. */
export interface PipelineStages {
  parseMessage(raw: RawMessage): Promise<Message>;
  createAssembler(): SeriesAssembler;
  /** Groups revisions of one series (change-id, else normalised title + author). */
  lineageKey(series: Series): string;
  reviewSeries(series: Series, opts: PipelineReviewOptions): Promise<Review>;
  /** Releases what the stages hold (review workers); called once at the end of a run. */
  close?(): Promise<void>;
}

export interface PipelineOptions {
  sources: readonly Source[];
  reporters: readonly Reporter[];
  stages: PipelineStages;
  revisions?: RevisionChoice;
  review?: PipelineReviewOptions;
  /** Called once per bad input, as soon as it is found (the command prints it at once). */
  onProblem?(problem: InputProblem): void;
  /** Called for every raw message read (progress). */
  onMessage?(raw: RawMessage): void;
  /** Rule time per reviewed series (benchmark side channel; see bot/review-timing.ts). */
  onRuleTiming?(series: Series, ruleId: string, ms: number): void;
  signal?: AbortSignal;
  /** Bytes of mail closed series may wait in before review (latest-revision runs only). */
  lookaheadBytes?: number;
}

/**
 * Runs sources through parsing, series assembly and review, and hands the chosen reviews to the
 * reporters. Bad messages and unreadable sources become InputProblems; the run goes on.
 */
export async function runPipeline(opts: PipelineOptions): Promise<RunSummary> {
  const summary = emptySummary();
  const problem = (input: string, err: unknown): void => {
    const p = toProblem(input, err);
    summary.problems.push(p);
    opts.onProblem?.(p);
  };
  const assembler = opts.stages.createAssembler();
  const choice = opts.revisions ?? { mode: 'latest' };
  const selector = new RevisionSelector(choice, opts.stages.lineageKey);
  const lookahead = choice.mode === 'latest' ? new RevisionLookahead(opts.lookaheadBytes ?? LOOKAHEAD_BYTES, opts.stages.lineageKey) : undefined;

  // Reviews run ahead (in worker threads when the stages have them) while mail is still read; their
  // results are taken in submission order, so the selector sees what a one-at-a-time run shows it.
  const queue: Queued[] = [];
  const submit = (series: Series): void => {
    const item: Queued = { series, done: false };
    // Skipped now means skipped later too: the selector's newest revision per lineage only grows.
    if (selector.mayWant(series)) {
      const timing = opts.onRuleTiming;
      const reviewOpts = timing ? { ...opts.review, onTiming: (id: string, ms: number) => timing(series, id, ms) } : (opts.review ?? {});
      item.result = opts.stages.reviewSeries(series, reviewOpts).then(
        (r) => (item.review = r),
        (err: unknown) => (item.error = err ?? new Error('review failed')),
      ).finally(() => (item.done = true));
    } else {
      item.done = true;
    }
    queue.push(item);
  };
  // A closed series waits in the lookahead first, where a later revision can spare its review.
  const closed = (series: Series): void => {
    if (!lookahead) return submit(series);
    selector.arrived(series);
    lookahead.push(series).forEach(submit);
  };
  const take = (item: Queued): void => {
    if (!selector.wants(item.series)) return;
    try {
      if (!item.review) throw item.error;
      selector.keep(item.series, item.review);
    } catch (err) {
      problem(`series "${item.series.title}" v${item.series.revision}`, err);
    }
  };
  /** Takes finished reviews from the head of the queue; waits while more than `ahead` are pending. */
  const drain = async (ahead: number): Promise<void> => {
    for (;;) {
      const head = queue[0];
      if (!head) return;
      if (!head.done) {
        if (queue.length <= ahead) return;
        await head.result;
      }
      queue.shift();
      take(head);
    }
  };

  try {
    for (const source of opts.sources) {
      if (opts.signal?.aborted) break;
      try {
        for await (const raw of source.messages(opts.signal)) {
          summary.messages++;
          opts.onMessage?.(raw);
          let msg: Message;
          try {
            msg = await opts.stages.parseMessage(raw);
          } catch (err) {
            problem(`${raw.source}${raw.locator}`, err);
            continue;
          }
          for (const series of assembler.add(msg)) closed(series);
          await drain(MAX_AHEAD);
        }
      } catch (err) {
        problem(source.name, err);
      }
    }
    for (const series of assembler.flush()) closed(series);
    lookahead?.flush().forEach(submit);
    await drain(0);
  } finally {
    await opts.stages.close?.();
  }

  const stats = assembler.stats();
  summary.followUps = stats.followUps;
  summary.skipped = { ...stats.skipped };
  summary.otherRevisions = selector.notChosen + (lookahead?.superseded ?? 0);
  const missing = selector.missingRevisionProblem();
  if (missing) {
    summary.problems.push(missing);
    opts.onProblem?.(missing);
  }

  for (const r of selector.chosen()) {
    summary.series++;
    summary.patches += r.series.patches.length;
    for (const f of r.findings) summary.findings[f.severity]++;
    summary.ruleErrors += r.ruleErrors.length;
    for (const reporter of opts.reporters) await reporter.report(r);
  }
  for (const reporter of opts.reporters) await reporter.close?.();
  return summary;
}

/**
 * Default wait before review (revision-lookahead.ts). On the linaro-mm-sig archive, 4 MB of waiting
 * mail spares 314 of the 315 superseded revisions their review (1 MB: 298, 8 MB: all 315); a longer
 * wait only adds to what is left to review when the input ends.
 */
const LOOKAHEAD_BYTES = 4 * 1024 * 1024;

/** Reviews submitted ahead of their turn; more would hold more whole series in memory. */
const MAX_AHEAD = 16;

interface Queued {
  series: Series;
  done: boolean;
  result?: Promise<unknown>;
  review?: Review;
  error?: unknown;
}

/** An InputError names its own input (e.g. "mbox:/x.mbox#12"); anything else is named by the caller. */
function toProblem(input: string, err: unknown): InputProblem {
  if (err instanceof InputError) return { input: err.input, message: err.problem.split('\n')[0] ?? '' };
  return { input, message: oneLine(err) };
}
