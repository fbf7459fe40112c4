// config.limits applied to the stages that `deptbot review` and `deptbot watch` run: an oversized
// message is refused before parsing, a patch over the file/hunk/line limits is left out of the
// review with a note (its size alone could stall the rules), and every rule gets the configured
// time budget. A wrapper, so the stages themselves (and their tests) stay unaware of config.
import type { Series, Patch, RawMessage, Review, Message } from '../model.ts';
import type { PipelineReviewOptions } from '../pipeline.ts';
import { InputError } from '../errors.ts';
import type { LimitsConfig } from '../../config/limits.ts';
import { limitsSection } from '../../config/limits.ts';
import { unparsedBounds } from '../mail/lazy-files.ts';

export const DEFAULT_LIMITS: LimitsConfig = limitsSection.parse(undefined);

/** The stage functions the limits wrap (a subset of PipelineStages and WatchStages). */
interface LimitedStages {
  parseMessage(raw: RawMessage): Promise<Message>;
  reviewSeries(series: Series, opts: PipelineReviewOptions): Promise<Review>;
}

/** Why a patch is too big to review, or undefined. */
export function patchOverLimit(patch: Patch, limits: LimitsConfig): string | undefined {
  // Bounds counted from line starts while splitting the mail settle nearly every patch unparsed.
  const bound = unparsedBounds(patch);
  if (bound && bound.files <= limits.maxFilesPerPatch && bound.hunks <= limits.maxHunksPerPatch && bound.lines <= limits.maxLinesPerPatch) {
    return undefined;
  }
  const files = patch.files.length;
  if (files > limits.maxFilesPerPatch) return `${files} files, over the limit of ${limits.maxFilesPerPatch} (limits.maxFilesPerPatch)`;
  let hunks = 0;
  let lines = 0;
  for (const f of patch.files) {
    hunks += f.hunks.length;
    for (const h of f.hunks) lines += h.lines.length;
  }
  if (hunks > limits.maxHunksPerPatch) return `${hunks} hunks, over the limit of ${limits.maxHunksPerPatch} (limits.maxHunksPerPatch)`;
  if (lines > limits.maxLinesPerPatch) return `${lines} diff lines, over the limit of ${limits.maxLinesPerPatch} (limits.maxLinesPerPatch)`;
  return undefined;
}

/** The message size as parseMessage counts it (a source may have kept only part of it). */
function rawSize(raw: RawMessage): number {
  return Math.max(raw.originalSize ?? 0, raw.data.length);
}

export function checkMessageSize(raw: RawMessage, limits: LimitsConfig): void {
  const size = rawSize(raw);
  if (size > limits.maxMessageBytes) {
    throw new InputError(`${raw.source}${raw.locator}`, `message is ${size} bytes, over the limit of ${limits.maxMessageBytes} (limits.maxMessageBytes)`);
  }
}

/**
 * Reviews the patches within the limits; the others are listed in the review's notes as skipped.
 * The review keeps the whole series, so reporters still show every patch.
 */
export async function reviewWithinLimits(
  series: Series,
  opts: PipelineReviewOptions,
  limits: LimitsConfig,
  review: (series: Series, opts: PipelineReviewOptions) => Promise<Review>,
): Promise<Review> {
  const notes: string[] = [];
  const kept: Patch[] = [];
  for (const p of series.patches) {
    const over = patchOverLimit(p, limits);
    if (over === undefined) kept.push(p);
    else notes.push(`patch ${p.index}/${series.expected} skipped, not reviewed: ${over}`);
  }
  const reviewed = kept.length === series.patches.length ? series : { ...series, patches: kept };
  const result = await review(reviewed, { ...opts, budgetMs: opts.budgetMs ?? limits.ruleBudgetMs });
  if (notes.length === 0) return result;
  return { ...result, series, notes: [...result.notes, ...notes] };
}

/** The stages with config.limits applied (message size, patch size, rule budget). */
export function limitedStages<S extends LimitedStages>(stages: S, limits: LimitsConfig): S {
  // Everything else (createAssembler, lineageKey, ...) is inherited unchanged, methods included.
  const wrapped = Object.create(stages) as S;
  return Object.assign(wrapped, {
    parseMessage: (raw: RawMessage) => {
      checkMessageSize(raw, limits);
      return stages.parseMessage(raw);
    },
    reviewSeries: (series: Series, opts: PipelineReviewOptions) => reviewWithinLimits(series, opts, limits, (s, o) => stages.reviewSeries(s, o)),
  });
}
