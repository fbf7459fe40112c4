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
  open(paths: string[]): Source[];
  /** Local commits as `git format-patch RANGE` would send them. */
  git(range: string, cwd: string): Source;
}

export const defaultSources: SourceFactory = {
  open: (paths) => openInputs(paths),
  git: (range, cwd) => gitRangeSource(range, cwd),
};

export function defaultStages(): PipelineStages {
  return {
    parseMessage: (raw) => parseMessage(raw),
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
