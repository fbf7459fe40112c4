// Sorts a parsed message for the series tracker. A series is identified by its thread anchor (the
// thread root: the first Reference, else In-Reply-To, else its own Message-ID), its revision and
// its size N. git send-email threads every patch under the cover letter (or under patch 1), and a
// v2 sent in reply to v1 differs by revision, so the anchor is stable whatever order mail arrives in.
import type { Message } from '../model.ts';
import type { Classification, SeriesIdentity } from '../store/watch-state.ts';

/** Finds the series of a cover letter seen before (by its Message-ID), if any. */
export type CoverLookup = (messageId: string, revision: number) => SeriesIdentity | undefined;

export function messageIdOf(msg: Message, contentHash: string): string {
  return msg.id.trim() || `sha256:${contentHash}@deptbot.invalid`;
}

export function threadRoot(msg: Message): string | undefined {
  return msg.references[0] ?? msg.inReplyTo;
}

export function classify(msg: Message, contentHash: string, lookupCover: CoverLookup): Classification {
  const messageId = messageIdOf(msg, contentHash);
  const s = msg.subject;
  if (s.isReply) return { messageId, kind: 'follow-up' };
  if (!s.isPatch || s.expected < 1 || s.counter < 0 || s.counter > s.expected) return { messageId, kind: 'other' };
  const base = { revision: s.revision, expected: s.expected, title: s.text };
  if (s.counter === 0) {
    return { messageId, kind: 'cover', counter: 0, series: { ...base, anchor: threadRoot(msg) ?? messageId } };
  }
  if (s.expected === 1) {
    // A lone patch often replies into a discussion; only a "0/1" cover it answers makes it part of
    // a larger thread, otherwise it is its own series (two lone patches in one thread stay apart).
    const cover = msg.inReplyTo ? lookupCover(msg.inReplyTo, s.revision) : undefined;
    const series = cover && cover.expected === 1 ? cover : { ...base, anchor: messageId };
    return { messageId, kind: 'patch', counter: s.counter, series };
  }
  return { messageId, kind: 'patch', counter: s.counter, series: { ...base, anchor: threadRoot(msg) ?? messageId } };
}
