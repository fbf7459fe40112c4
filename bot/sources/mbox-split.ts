// Splits an mbox byte stream into messages as the bytes arrive, never holding more than the current
// message (and at most `maxBytes` of it). Separators are "From " lines in asctime form, as git
// mailsplit checks them, so a body line that merely starts with "From " does not split a git
// format-patch file. ">From " lines are un-escaped one level (mboxrd; the mboxo case is the same).

export interface SplitMessage {
  data: Buffer;
  /** The "From " separator line, e.g. "From 1a2b... Mon Sep 17 00:00:00 2001". */
  fromLine: string;
  /** Set when the message was larger than maxBytes: its size; data is then empty. */
  originalSize?: number;
}

const FROM_LINE =
  /^From \S{1,300} +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d\d(?::\d\d)?(?: +[A-Z]{1,5}| +[+-]\d{4})* +\d{4}/;
const MAX_FROM_LINE = 400;
const LF = 10;
const NL_FROM = Buffer.from('\nFrom ');
const FROM = Buffer.from('From ');

/** True when `line` (without its newline) is an mbox separator. */
export function isFromLine(line: string): boolean {
  return line.length <= MAX_FROM_LINE && FROM_LINE.test(line);
}

export async function* splitMbox(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<SplitMessage> {
  let carry: Buffer = Buffer.alloc(0);
  let current: MessageBuilder | null = null;

  for await (const chunk of chunks) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const complete = buf.lastIndexOf(LF) + 1;
    let segStart = 0;
    for (const sep of separators(buf, complete)) {
      if (current) {
        current.append(buf.subarray(segStart, sep.start));
        yield current.finish();
      }
      current = new MessageBuilder(sep.line, maxBytes);
      segStart = sep.next;
    }
    // Bytes before the first separator belong to no message; an mbox starts with one.
    if (current) current.append(buf.subarray(segStart, complete));
    // A partial last line waits for the next chunk; copied so the chunk itself can be freed.
    carry = Buffer.from(buf.subarray(complete));
    if (carry.length > maxBytes && current) {
      current.append(carry);
      carry = Buffer.alloc(0);
    }
  }
  if (current) {
    current.append(carry);
    yield current.finish();
  }
}

interface Separator {
  start: number;
  next: number;
  line: string;
}

/** Separator lines that start and end within buf[0, complete). */
function* separators(buf: Buffer, complete: number): Generator<Separator> {
  let at = buf.subarray(0, FROM.length).equals(FROM) ? 0 : nextCandidate(buf, 0);
  while (at >= 0 && at < complete) {
    const nl = buf.indexOf(LF, at);
    const end = nl < 0 ? complete : nl;
    if (end - at <= MAX_FROM_LINE) {
      const line = buf.toString('latin1', at, end > at && buf[end - 1] === 13 ? end - 1 : end);
      if (isFromLine(line)) yield { start: at, next: end + 1, line };
    }
    at = nextCandidate(buf, at + 1);
  }
}

function nextCandidate(buf: Buffer, from: number): number {
  const i = buf.indexOf(NL_FROM, Math.max(0, from - 1));
  return i < 0 ? -1 : i + 1;
}

/** Collects one message's bytes up to a limit; past it, only counts them. */
class MessageBuilder {
  private parts: Buffer[] = [];
  private size = 0;

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

  finish(): SplitMessage {
    if (this.size > this.maxBytes) return { data: Buffer.alloc(0), fromLine: this.fromLine, originalSize: this.size };
    return { data: unescapeFromLines(Buffer.concat(this.parts, this.size)), fromLine: this.fromLine };
  }
}

/** ">From " -> "From ", ">>From " -> ">From " at line starts; copies only when there is one. */
export function unescapeFromLines(data: Buffer): Buffer {
  const cuts: number[] = [];
  let i = data[0] === 62 ? 0 : data.indexOf('\n>');
  while (i >= 0) {
    const lineStart = data[i] === LF ? i + 1 : i;
    let j = lineStart;
    while (data[j] === 62) j++;
    if (data.subarray(j, j + FROM.length).equals(FROM)) cuts.push(lineStart);
    i = data.indexOf('\n>', lineStart);
  }
  if (cuts.length === 0) return data;
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    pieces.push(data.subarray(from, cut));
    from = cut + 1;
  }
  pieces.push(data.subarray(from));
  return Buffer.concat(pieces);
}
