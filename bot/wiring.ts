// The real stages and sources behind the pipeline, in one place so that the pipeline and the
// commands can be tested with fakes.
import { parseMessage } from './mail/parse-message.ts';
import { Mailbox, lineageKey } from './mail/mailbox.ts';
import { openInputs } from './sources/open-inputs.ts';
import { gitRangeSource } from './sources/git-range.ts';
import { reviewSeries } from '../rules/engine/review.ts';
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

/** [hardening] maxMessageBytes: parseMessage's own cap (limits.maxMessageBytes; default 25 MB). */
export function defaultStages(opts: SourceLimits = {}): PipelineStages {
  const parseOpts = opts.maxMessageBytes === undefined ? {} : { maxBytes: opts.maxMessageBytes };
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
    reviewSeries: (series, opts) => reviewSeries(series, opts),
  };
}
