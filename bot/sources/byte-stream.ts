// Byte streams -> raw messages: gunzip when the bytes say gzip, then split as mbox when the first
// line is an mbox separator, else take the whole stream as one message (.eml, .patch, bare diff).
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, oneLine } from '../errors.ts';
import type { RawMessage } from '../model.ts';
import { isFromLine, MboxSplitter, type SplitMessage } from './mbox-split.ts';

export interface StreamInput {
  /** RawMessage.source and the name in errors. */
  source: string;
  /** Never reused once yielded: messages may be views of them (see mbox-split.ts). */
  chunks: AsyncIterable<Buffer>;
  maxBytes: number;
  signal?: AbortSignal;
  /** Locator of the n-th message (1-based) given its mbox "From " line. */
  locator?(n: number, fromLine: string): string;
}

const SNIFF_BYTES = 512;
/** Gunzip output per chunk: larger chunks mean fewer round trips to the zlib thread (each one costs CPU). */
const GUNZIP_CHUNK = 512 * 1024;

export async function* messagesFromStream(input: StreamInput): AsyncGenerator<RawMessage> {
  let chunks = await peek(input.chunks, 2);
  if (chunks.head[0] === 0x1f && chunks.head[1] === 0x8b) chunks = await peek(gunzip(chunks.all, input.source), SNIFF_BYTES);
  else chunks = await peek(chunks.all, SNIFF_BYTES);
  const locate = input.locator ?? ((n: number) => `#${n}`);

  const text = chunks.head.toString('latin1');
  const lead = text.length - text.trimStart().length;
  const firstLine = text.slice(lead).split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  if (isFromLine(firstLine)) {
    const splitter = new MboxSplitter(input.maxBytes);
    let n = 0;
    const toRaw = (m: SplitMessage): RawMessage => {
      n++;
      const raw: RawMessage = { source: input.source, locator: locate(n, m.fromLine), data: m.data };
      if (m.originalSize !== undefined) raw.originalSize = m.originalSize;
      return raw;
    };
    for await (const chunk of chunks.all) {
      for (const m of splitter.push(chunk)) {
        if (input.signal?.aborted) return;
        yield toRaw(m);
      }
    }
    for (const m of splitter.end()) {
      if (input.signal?.aborted) return;
      yield toRaw(m);
    }
    return;
  }

  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks.all) {
    size += chunk.length;
    if (size <= input.maxBytes) parts.push(chunk);
  }
  if (size === 0) throw new InputError(input.source, 'is empty');
  if (size > input.maxBytes) yield { source: input.source, locator: '', data: Buffer.alloc(0), originalSize: size };
  else yield { source: input.source, locator: '', data: parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts, size) };
}

interface Peeked {
  /** At least `bytes` bytes from the start (less when the stream is shorter). */
  head: Buffer;
  /** The whole stream, head included. */
  all: AsyncIterable<Buffer>;
}

async function peek(chunks: AsyncIterable<Buffer>, bytes: number): Promise<Peeked> {
  const it = chunks[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < bytes) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    taken.push(r.value);
    size += r.value.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* taken;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head: Buffer.concat(taken), all: all() };
}

async function* gunzip(chunks: AsyncIterable<Buffer>, source: string): AsyncGenerator<Buffer> {
  const gz = createGunzip({ chunkSize: GUNZIP_CHUNK });
  const src = Readable.from(chunks);
  src.on('error', (err) => gz.destroy(err));
  src.pipe(gz);
  try {
    for await (const chunk of gz) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(source, `cannot be decompressed: ${oneLine(err)}`);
  } finally {
    src.destroy();
  }
}
