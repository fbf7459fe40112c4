// Reads a file as a byte stream, gunzipping it when its first bytes say gzip.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export async function openBytes(path: string): Promise<Readable> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(2);
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  return head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip({ chunkSize: 128 * 1024 })) : raw;
}

/**
 * The lines of a byte stream (latin1, so one char is one byte; without their newline), a chunk's
 * worth at a time: per-line async iteration would cost more than the work being measured.
 */
export async function* lineBatches(stream: Readable): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of stream) {
    const text = carry + (chunk as Buffer).toString('latin1');
    const batch = text.split('\n');
    carry = batch.pop() ?? '';
    yield batch;
  }
  if (carry) yield [carry];
}
