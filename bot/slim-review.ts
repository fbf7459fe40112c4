// Reviews held until the end of a run keep only what reporters read: ids, subjects, authors, file
// paths, findings. Bodies, hunks and follow-up messages are dropped so memory stays bounded on a
// whole list archive.
import type { FileChange, Message, Patch, Review } from './model.ts';

function slimMessage(msg: Message): Message {
  return { ...msg, body: '', headers: new Map() };
}

function slimFile(file: FileChange): FileChange {
  return { ...file, hunks: [] };
}

function slimPatch(patch: Patch): Patch {
  return { ...patch, message: slimMessage(patch.message), commitMessage: '', files: patch.files.map(slimFile) };
}

export function slimReview(review: Review): Review {
  const { series } = review;
  return {
    ...review,
    series: {
      ...series,
      cover: series.cover ? slimMessage(series.cover) : undefined,
      patches: series.patches.map(slimPatch),
      followUps: [],
    },
  };
}
