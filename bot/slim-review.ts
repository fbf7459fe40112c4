// Reviews held until the end of a run keep only what reporters read: ids, subjects, authors, file
// paths, findings, and the hunks and reply headers of the few patches that have findings (the email
// formatter quotes them). Other bodies, hunks and follow-up messages are dropped so memory stays
// bounded on a whole list archive.
import type { FileChange, Message, Patch, Review } from './model.ts';

/** Headers a reply needs: threading, list tag, sender resolution, bot detection. */
const REPLY_HEADERS = ['date', 'list-id', 'x-original-from', 'auto-submitted', 'reply-to', 'x-mailer'];

function slimMessage(msg: Message): Message {
  const headers = new Map<string, string>();
  for (const name of REPLY_HEADERS) {
    const value = msg.headers.get(name);
    if (value !== undefined) headers.set(name, value);
  }
  return { ...msg, body: '', headers };
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

export function slimReview(review: Review): Review {
  const { series } = review;
  const withFindings = new Set(review.findings.map((f) => f.patch));
  // A copy, not a view: strings cut from a message (ids, subjects, names) share the memory of the
  // whole message text in V8 and would keep every message of a run alive.
  return structuredClone({
    ...review,
    series: {
      ...series,
      cover: series.cover ? slimMessage(series.cover) : undefined,
      patches: series.patches.map((p) => slimPatch(p, withFindings.has(p.index))),
      followUps: [],
    },
  });
}
