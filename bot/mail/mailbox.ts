// Series assembly as b4's LoreMailbox does it, streaming: patches are kept by counter per revision,
// threaded by In-Reply-To/References; replies are follow-ups; a series is handed back as soon as it
// is complete, so a caller can review and drop it. Only what unfinished series need stays in memory,
// plus bounded maps of ids (duplicate folding, follow-ups of series already handed back).
import { createHash } from 'node:crypto';
import type { Message, Patch, Series } from '../model.ts';
import { oneLine } from '../errors.ts';
import { BoundedMap } from './bounded-map.ts';
import { senderOf, toPatch } from './patch.ts';
import { seriesTags } from './trailers.ts';

export interface MailboxOptions {
  /** An incomplete series is closed after this many further messages without a part of it arriving. */
  idleLimit?: number;
  /** Follow-ups kept per series; more are counted only. */
  maxFollowUps?: number;
  /** Message-IDs remembered for duplicate folding and for counting late follow-ups. */
  idMemory?: number;
  /** Called for events worth a log line (a Message-ID reused for different content). */
  onWarning?(text: string): void;
}

export interface MailboxStats {
  messages: number;
  /** Series handed back so far, complete or not. */
  series: number;
  complete: number;
  incomplete: number;
  /** Patch messages placed in a series (covers not included). */
  patches: number;
  covers: number;
  followUps: number;
  /** Reason -> messages skipped for it. */
  skipped: Record<string, number>;
  /** Message-IDs seen again with different content (kept apart, not folded). */
  idConflicts: number;
}

export const SKIP = {
  notPatch: 'not a patch',
  duplicate: 'duplicate Message-ID',
  orphanReply: 'reply outside any series',
  discussion: 'reply in a thread without patches',
  badCounter: 'invalid patch counter',
  duplicateCounter: 'patch counter seen twice in a series',
  late: 'part of a series already closed',
} as const;

interface OpenSeries {
  seq: number;
  revision: number;
  expected: number;
  cover?: Message;
  /** Patch messages by counter; turned into Patches (diff parsed) only when the series closes. */
  parts: Map<number, Message>;
  followUps: Message[];
  droppedFollowUps: number;
  notes: string[];
  lastActive: number;
  /** byPart keys and thread ids registered for this series, removed when it closes. */
  partKeys: string[];
  threadIds: string[];
}

const CHECK_IDLE_EVERY = 256;
/** References looked at per message when threading (the nearest ones). */
const THREAD_LOOKBACK = 50;

export class Mailbox {
  private readonly idleLimit: number;
  private readonly maxFollowUps: number;
  private readonly open = new Set<OpenSeries>();
  /** `${messageId}\0${revision}` -> open series that a patch of that revision replying to it joins. */
  private readonly byPart = new Map<string, OpenSeries>();
  /** Message-ID of a member or follow-up -> its open series, for threading replies. */
  private readonly thread = new Map<string, OpenSeries>();
  /** The same for closed series: id -> "revision/expected", so late parts and replies are counted. */
  private readonly closed: BoundedMap<string, string>;
  private readonly seen: BoundedMap<string, string>;
  /** Ids of messages that are no patch, and their replies: discussion threads. */
  private readonly discussion: BoundedMap<string, true>;
  private readonly counts: MailboxStats = {
    messages: 0,
    series: 0,
    complete: 0,
    incomplete: 0,
    patches: 0,
    covers: 0,
    followUps: 0,
    skipped: {},
    idConflicts: 0,
  };
  private seq = 0;

  constructor(private readonly opts: MailboxOptions = {}) {
    this.idleLimit = opts.idleLimit ?? 1000;
    this.maxFollowUps = opts.maxFollowUps ?? 200;
    this.closed = new BoundedMap(opts.idMemory ?? 100_000);
    this.seen = new BoundedMap(opts.idMemory ?? 100_000);
    this.discussion = new BoundedMap(opts.idMemory ?? 100_000);
  }

  /**
   * Takes one message. Returns the series that are done: the ones it completed, and incomplete ones
   * whose thread went quiet for `idleLimit` messages (closed with a note; memory stays bounded).
   */
  add(input: Message): Series[] {
    this.counts.messages++;
    this.seq++;
    const msg = this.foldDuplicate(input);
    const done: Series[] = [];
    if (msg) this.place(msg, done);
    if (this.seq % CHECK_IDLE_EVERY === 0) this.closeIdle(done);
    return done;
  }

  /** Every series not handed back yet, incomplete ones with notes, in the order they started. */
  flush(): Series[] {
    const done: Series[] = [];
    for (const s of [...this.open]) done.push(this.close(s));
    return done;
  }

  /** Counts a message the caller could not parse, so every message read is accounted for. */
  skip(reason: string): void {
    this.counts.messages++;
    this.bump(reason);
  }

  stats(): MailboxStats {
    return { ...this.counts, skipped: { ...this.counts.skipped } };
  }

  private foldDuplicate(msg: Message): Message | null {
    const print = createHash('sha1').update(msg.subject.raw).update('\0').update(msg.body).digest('base64');
    const before = this.seen.get(msg.id);
    if (before === print) {
      this.bump(SKIP.duplicate);
      return null;
    }
    if (before === undefined) {
      this.seen.set(msg.id, print);
      return msg;
    }
    // Same id, other content: a forgery or a broken mailer. Keep it apart under a derived id.
    this.counts.idConflicts++;
    const id = `${msg.id}#${print.slice(0, 12)}`;
    this.opts.onWarning?.(`${msg.source}${msg.locator}: Message-ID <${msg.id}> reused for different content; kept apart as <${id}>`);
    if (this.seen.get(id) === print) {
      this.bump(SKIP.duplicate);
      return null;
    }
    this.seen.set(id, print);
    return { ...msg, id };
  }

  private place(msg: Message, done: Series[]): void {
    const subject = msg.subject;
    if (subject.isReply) return this.placeReply(msg);
    if (!subject.isPatch) {
      this.discussion.set(msg.id, true);
      return this.bump(SKIP.notPatch);
    }
    if (subject.expected < 1 || subject.counter > subject.expected) return this.bump(SKIP.badCounter);

    const candidates = [msg.id, ...parents(msg)];
    let series: OpenSeries | undefined;
    for (const id of candidates) {
      const s = this.byPart.get(partKey(id, subject.revision));
      if (s && s.expected === subject.expected && !hasPart(s, subject.counter)) {
        series = s;
        break;
      }
    }
    // A lone patch is a series of its own; a numbered part that found no open slot is either late
    // (its series was closed already) or a second copy of a part (a resend under a new Message-ID).
    if (!series && subject.expected > 1 && !subject.resend) {
      const shape = `${subject.revision}/${subject.expected}`;
      if (candidates.some((id) => this.closed.get(id) === shape)) return this.bump(SKIP.late);
      const existing = candidates.map((id) => this.byPart.get(partKey(id, subject.revision))).find((s) => s);
      if (existing && existing.expected === subject.expected) {
        existing.notes.push(`${subject.counter}/${subject.expected} received twice (<${msg.id}>); kept the first`);
        return this.bump(SKIP.duplicateCounter);
      }
    }
    series ??= this.start(subject.revision, subject.expected);

    if (subject.counter === 0) {
      series.cover = msg;
      this.counts.covers++;
    } else {
      series.parts.set(subject.counter, msg);
      this.counts.patches++;
    }
    series.lastActive = this.seq;
    for (const id of candidates) this.register(series, id);
    if (series.parts.size === series.expected) done.push(this.close(series));
  }

  private placeReply(msg: Message): void {
    const ids = parents(msg);
    const series = ids.map((id) => this.thread.get(id)).find((s) => s);
    if (series) {
      this.counts.followUps++;
      series.lastActive = this.seq;
      if (series.followUps.length < this.maxFollowUps) series.followUps.push(msg);
      else series.droppedFollowUps++;
      this.thread.set(msg.id, series);
      series.threadIds.push(msg.id);
      return;
    }
    const closedShape = ids.map((id) => this.closed.get(id)).find((k) => k !== undefined);
    if (closedShape !== undefined) {
      // A reply to a series already handed back: counted, not kept (memory stays bounded).
      this.counts.followUps++;
      this.closed.set(msg.id, closedShape);
      return;
    }
    if (ids.some((id) => this.discussion.has(id))) {
      this.discussion.set(msg.id, true);
      return this.bump(SKIP.discussion);
    }
    this.bump(SKIP.orphanReply);
  }

  private start(revision: number, expected: number): OpenSeries {
    const s: OpenSeries = {
      seq: this.seq,
      revision,
      expected,
      parts: new Map(),
      followUps: [],
      droppedFollowUps: 0,
      notes: [],
      lastActive: this.seq,
      partKeys: [],
      threadIds: [],
    };
    this.open.add(s);
    return s;
  }

  private register(s: OpenSeries, id: string): void {
    const key = partKey(id, s.revision);
    if (!this.byPart.has(key)) {
      this.byPart.set(key, s);
      s.partKeys.push(key);
    }
    if (!this.thread.has(id)) {
      this.thread.set(id, s);
      s.threadIds.push(id);
    }
  }

  private closeIdle(done: Series[]): void {
    for (const s of [...this.open]) {
      if (this.seq - s.lastActive > this.idleLimit) {
        s.notes.push(`closed after ${this.idleLimit} messages without a further part`);
        done.push(this.close(s));
      }
    }
  }

  private close(s: OpenSeries): Series {
    this.open.delete(s);
    const shape = `${s.revision}/${s.expected}`;
    for (const key of s.partKeys) if (this.byPart.get(key) === s) this.byPart.delete(key);
    for (const id of s.threadIds) {
      if (this.thread.get(id) === s) this.thread.delete(id);
      this.closed.set(id, shape);
    }
    const series = toSeries(s);
    this.counts.series++;
    if (series.complete) this.counts.complete++;
    else this.counts.incomplete++;
    return series;
  }

  private bump(reason: string): void {
    this.counts.skipped[reason] = (this.counts.skipped[reason] ?? 0) + 1;
  }
}

function toSeries(s: OpenSeries): Series {
  const patches = [...s.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => safePatch(m));
  const missing: number[] = [];
  for (let i = 1; i <= s.expected; i++) if (!s.parts.has(i)) missing.push(i);
  const anchor = s.cover ?? patches[0]?.message;
  const notes = [...s.notes];
  if (missing.length > 0) notes.unshift(`incomplete: missing ${ranges(missing)} of ${s.expected}`);
  if (s.droppedFollowUps > 0) notes.push(`${s.droppedFollowUps} further follow-ups not kept`);
  for (const p of patches) if (p.mangled) notes.push(`patch ${p.index}/${s.expected} is mangled: ${p.mangled}`);
  const series: Series = {
    key: `${anchor?.id ?? 'unknown'}#v${s.revision}`,
    title: anchor?.subject.text ?? '',
    revision: s.revision,
    expected: s.expected,
    patches,
    missing,
    complete: missing.length === 0,
    followUps: s.followUps,
    notes,
  };
  if (s.cover) series.cover = s.cover;
  for (const m of [s.cover, ...patches.map((p) => p.message)]) {
    if (!m || (series.baseCommit && series.changeId)) continue;
    const tags = seriesTags(m);
    series.baseCommit ??= tags.baseCommit;
    series.changeId ??= tags.changeId;
  }
  if (series.baseCommit === undefined) delete series.baseCommit;
  if (series.changeId === undefined) delete series.changeId;
  return series;
}

/**
 * Groups the revisions of one series: b4's change-id when there is one, else the normalised title
 * and the sender's address (cma-dmem v1 and v2 share a change-id under different titles).
 */
export function lineageKey(series: Series): string {
  if (series.changeId) return `change-id:${series.changeId}`;
  const anchor = series.cover ?? series.patches[0]?.message;
  const sender = anchor ? senderOf(anchor).address.toLowerCase() : '';
  const title = series.title.toLowerCase().replace(/\s+/g, ' ').replace(/(?<![\s.])[\s.]+$/, '').trim();
  return `title:${title}|${sender}`;
}

/** [1, 2, 3, 5] -> "1-3, 5": a note stays one short line even for 290 missing parts. */
function ranges(numbers: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === (numbers[j] ?? 0) + 1) j++;
    out.push(i === j ? `${numbers[i]}` : `${numbers[i]}-${numbers[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

function partKey(id: string, revision: number): string {
  return `${id}\0${revision}`;
}

function hasPart(s: OpenSeries, counter: number): boolean {
  return counter === 0 ? s.cover !== undefined : s.parts.has(counter);
}

/** The ids a message answers, nearest first: In-Reply-To, then References from the end. */
function parents(msg: Message): string[] {
  const out: string[] = [];
  if (msg.inReplyTo) out.push(msg.inReplyTo);
  const refs = msg.references;
  for (let i = refs.length - 1; i >= 0 && out.length < THREAD_LOOKBACK; i--) {
    const id = refs[i];
    if (id && id !== msg.inReplyTo) out.push(id);
  }
  return out;
}

/** toPatch never lets a diff parser failure take the series down: the patch is kept, flagged. */
function safePatch(msg: Message): Patch {
  try {
    return toPatch(msg);
  } catch (err) {
    return {
      index: msg.subject.counter,
      message: msg,
      author: senderOf(msg),
      commitMessage: '',
      trailers: [],
      files: [],
      mangled: `diff could not be parsed: ${oneLine(err)}`,
    };
  }
}
