// Reviews held until the end of a run keep only what reporters read: ids, subjects, authors, file
// paths, findings, and the hunks and reply headers of the few patches that have findings (the email
// formatter quotes them). Other bodies, hunks and follow-up messages are dropped so memory stays
// bounded on a whole list archive.
import type { FileChange, Message, Patch, Review, Series } from './model.ts';
import { copyMessage } from './mail/lazy-addresses.ts';

/** Headers a reply needs: threading, list tag, sender resolution, bot detection. */
export const REPLY_HEADERS = ['date', 'list-id', 'x-original-from', 'auto-submitted', 'reply-to', 'x-mailer'];

function slimMessage(msg: Message): Message {
  const headers = new Map<string, string>();
  for (const name of REPLY_HEADERS) {
    const value = msg.headers.get(name);
    if (value !== undefined) headers.set(name, value);
  }
  return copyMessage(msg, { body: '', headers });
}

function slimFile(file: FileChange): FileChange {
  return { ...file, hunks: [] };
}

function slimPatch(patch: Patch, keepHunks: boolean): Patch {
  return {
    ...patch,
    message: slimMessage(patch.message),
    commitMessage: '',
    files: keepHunks ? patch.files : patch.files.map(slimFile),
  };
}

/** The slim form of a series reviewed with these findings: a view that shares its strings. */
export function slimSeries(series: Series, findings: Review['findings']): Series {
  const withFindings = new Set(findings.map((f) => f.patch));
  return {
    ...series,
    cover: series.cover ? slimMessage(series.cover) : undefined,
    patches: series.patches.map((p) => slimPatch(p, withFindings.has(p.index))),
    followUps: [],
  };
}

interface Detached {
  findings: Review['findings'];
  slim: Series;
}

/** Slim series made by a review worker, by the main thread's series they stand for. */
const detached = new WeakMap<Series, Detached>();

/**
 * Records the slim form a review worker made of `series` for `findings`. It came through a
 * structured clone, so it already shares no memory with message text, and slimReview takes it as
 * it is instead of slimming and copying the series again.
 */
export function adoptSlimSeries(series: Series, findings: Review['findings'], slim: Series): void {
  detached.set(series, { findings, slim });
}

export function slimReview(review: Review): Review {
  const ready = detached.get(review.series);
  if (ready && ready.findings === review.findings) {
    // The series was slimmed and sent over by the worker: a copy already. Copy the verdicts only.
    return { ...structuredClone({ ...review, series: undefined }), series: ready.slim };
  }
  // A copy, not a view: strings cut from a message (ids, subjects, names) share the memory of the
  // whole message text in V8 and would keep every message of a run alive.
  return structuredClone({ ...review, series: slimSeries(review.series, review.findings) });
}
