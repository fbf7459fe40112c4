// Splits an mbox byte stream into messages as the bytes arrive, never holding more than the current
// message (and at most `maxBytes` of it). Separators are "From " lines in asctime form, as git
// mailsplit checks them, so a body line that merely starts with "From " does not split a git
// format-patch file. ">From " lines are un-escaped one level (mboxrd; the mboxo case is the same).
//
// The chunks are searched in place for "From " (no string per line, no joining of chunks). A
// message that lies within one chunk is a view of that chunk, not a copy, so a chunk must not be
// reused once given (streams from fs, zlib and child processes never do).
import { unescapeFromLines } from './mbox-unescape.ts';

export interface SplitMessage {
  data: Buffer;
  /** The "From " separator line, e.g. "From 1a2b... Mon Sep 17 00:00:00 2001". */
  fromLine: string;
  /** Set when the message was larger than maxBytes: its size; data is then empty. */
  originalSize?: number;
}

const FROM_LINE =
  /^From \S{1,300} +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d\d(?::\d\d)?(?: +[A-Z]{1,5}| +[+-]\d{4})* +\d{4}/;
/** Longest separator line, CR included. */
const MAX_FROM_LINE = 400;
const LF = 10;
const CR = 13;
const GT = 62;
const FROM = Buffer.from('From ');
const GT_FROM = Buffer.from('>From ');

/** True when `line` (without its newline) is an mbox separator. */
export function isFromLine(line: string): boolean {
  return line.length <= MAX_FROM_LINE && FROM_LINE.test(line);
}

export async function* splitMbox(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<SplitMessage> {
  const splitter = new MboxSplitter(maxBytes);
  for await (const chunk of chunks) for (const m of splitter.push(chunk)) yield m;
  for (const m of splitter.end()) yield m;
}

/** The splitter fed chunk by chunk: a caller that loops over chunks anyway saves an async layer. */
export class MboxSplitter {
  private current: MessageBuilder | null = null;
  /** The chunks' last, unfinished line while it may still turn out a separator (at most MAX_FROM_LINE bytes). */
  private pending: Buffer | null = null;
  /** Whether the next chunk starts a line. */
  private atLineStart = true;
  /** The last bytes seen (up to 5), to find a ">From " split between two chunks. */
  private lastBytes: Buffer = Buffer.alloc(0);
  private done: SplitMessage[] = [];

  constructor(private readonly maxBytes: number) {}

  /** Messages the chunk completes. */
  push(chunk: Buffer): SplitMessage[] {
    this.done = [];
    if (chunk.length === 0) return this.done;
    if (escapeAcross(this.lastBytes, chunk)) this.current?.noteEscape();
    this.lastBytes = lastBytes(this.lastBytes, chunk);
    let seg = 0; // first byte of the chunk not yet handed to the current message
    let from = 0; // where to look for "From "
    const lineAtStart = this.atLineStart && !this.pending;
    if (this.pending) {
      const pending = this.pending;
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.extendPending(pending, chunk);
        return this.done;
      }
      this.pending = null;
      const line = Buffer.concat([pending, chunk.subarray(0, nl)]);
      const fromLine = separatorAt(line, 0, line.length);
      if (fromLine === null) this.append(pending);
      else {
        this.startMessage(fromLine);
        seg = nl + 1;
      }
      from = nl;
    }

    // One search serves both: "From " after a newline may be a separator, after ">" an escape.
    let at = chunk.indexOf(FROM, from);
    while (at >= 0) {
      const before = at > 0 ? chunk[at - 1] : undefined;
      if (before === GT) this.current?.noteEscape();
      if (before === LF || (at === 0 && lineAtStart)) {
        const nl = chunk.indexOf(LF, at);
        if (nl < 0) break; // the chunk's unfinished last line: see below
        const fromLine = separatorAt(chunk, at, nl);
        if (fromLine !== null) {
          this.append(chunk.subarray(seg, at));
          this.startMessage(fromLine);
          seg = nl + 1;
        }
        at = chunk.indexOf(FROM, nl);
      } else at = chunk.indexOf(FROM, at + FROM.length);
    }

    // The unfinished last line; without a newline in the chunk, it started in an earlier one.
    const tail = chunk.lastIndexOf(LF) + 1;
    if (tail < chunk.length && (tail > 0 || this.atLineStart) && maybeSeparator(chunk, tail)) {
      this.append(chunk.subarray(seg, tail));
      // Copied: a few bytes should not keep the whole chunk alive.
      this.pending = Buffer.from(chunk.subarray(tail));
    } else {
      this.append(chunk.subarray(seg));
    }
    this.atLineStart = tail === chunk.length;
    return this.done;
  }

  /** The last message, once the stream has ended. */
  end(): SplitMessage[] {
    this.done = [];
    // A final "From " line without a newline is not a separator (it ends no line).
    if (this.pending) this.append(this.pending);
    this.pending = null;
    if (this.current) this.done.push(this.current.finish());
    this.current = null;
    return this.done;
  }

  /** A chunk without a newline continues the pending line. */
  private extendPending(pending: Buffer, chunk: Buffer): void {
    const line = Buffer.concat([pending, chunk]);
    if (maybeSeparator(line, 0)) {
      this.pending = line;
      return;
    }
    this.pending = null;
    this.append(line);
    this.atLineStart = false;
  }

  private startMessage(fromLine: string): void {
    if (this.current) this.done.push(this.current.finish());
    this.current = new MessageBuilder(fromLine, this.maxBytes);
  }

  /** Bytes before the first separator belong to no message; an mbox starts with one. */
  private append(part: Buffer): void {
    this.current?.append(part);
  }
}

/** The separator text (without CR) when buf[start, end) is a separator line, else null. */
function separatorAt(buf: Buffer, start: number, end: number): string | null {
  if (end - start > MAX_FROM_LINE) return null;
  const line = buf.toString('latin1', start, end > start && buf[end - 1] === CR ? end - 1 : end);
  return isFromLine(line) ? line : null;
}

/** Whether a ">From " starts in `last` (the bytes before the chunk) and ends in the chunk. */
function escapeAcross(last: Buffer, chunk: Buffer): boolean {
  return last.length > 0 && Buffer.concat([last, chunk.subarray(0, GT_FROM.length - 1)]).includes(GT_FROM);
}

/** The last GT_FROM.length - 1 bytes of `last` followed by `chunk`, copied. */
function lastBytes(last: Buffer, chunk: Buffer): Buffer {
  const keep = GT_FROM.length - 1;
  if (chunk.length >= keep) return Buffer.from(chunk.subarray(chunk.length - keep));
  const both = Buffer.concat([last, chunk]);
  return both.subarray(Math.max(0, both.length - keep));
}

/** Whether buf[at..] (an unfinished line) can still become a separator once its end arrives. */
function maybeSeparator(buf: Buffer, at: number): boolean {
  const n = buf.length - at;
  if (n > MAX_FROM_LINE) return false;
  for (let i = 0; i < n && i < FROM.length; i++) if (buf[at + i] !== FROM[i]) return false;
  return true;
}

/** Collects one message's bytes up to a limit; past it, only counts them. */
class MessageBuilder {
  private parts: Buffer[] = [];
  private size = 0;
  /** Set when a ">From " was seen: only then is the message searched for escaped lines. */
  private escapes = false;

  constructor(
    readonly fromLine: string,
    private readonly maxBytes: number,
  ) {}

  append(part: Buffer): void {
    if (part.length === 0) return;
    this.size += part.length;
    if (this.size > this.maxBytes) this.parts = [];
    else this.parts.push(part);
  }

  noteEscape(): void {
    this.escapes = true;
  }

  finish(): SplitMessage {
    if (this.size > this.maxBytes) return { data: Buffer.alloc(0), fromLine: this.fromLine, originalSize: this.size };
    const data = this.parts.length === 1 && this.parts[0] ? this.parts[0] : Buffer.concat(this.parts, this.size);
    return { data: this.escapes ? unescapeFromLines(data) : data, fromLine: this.fromLine };
  }
}
