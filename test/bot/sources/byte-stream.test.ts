// messagesFromStream: gzip or not, however the bytes are chunked, the same messages come out, and
// they are the splitter's on the whole input at once.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../bot/errors.ts';
import type { RawMessage } from '../../../bot/model.ts';
import { messagesFromStream } from '../../../bot/sources/byte-stream.ts';
import { MboxSplitter } from '../../../bot/sources/mbox-split.ts';

const SEP = 'From mboxrd@z Thu Jan  1 00:00:00 1970';

async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function read(data: Buffer, size: number, maxBytes = 1 << 24): Promise<RawMessage[]> {
  const out: RawMessage[] = [];
  for await (const m of messagesFromStream({ source: 'in', chunks: chunked(data, size), maxBytes })) out.push(m);
  return out;
}

/** ~3 MB of mail: more than one gunzip output chunk, LF and CRLF messages, escaped From lines. */
function bigMbox(): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < 1500; i++) {
    const eol = i % 3 === 0 ? '\r\n' : '\n';
    const body = [`Subject: m${i}`, '', '>From the start', `${'line '.repeat(40)}${i}`.repeat(1 + (i % 17)), '>>From again', ''].join(eol);
    parts.push(`${SEP}${eol}${body}${eol}`);
  }
  return Buffer.from(`${parts.join('')}${SEP}\nSubject: last\n\nno newline at the end`);
}

describe('messagesFromStream', () => {
  const plain = bigMbox();
  const whole = new MboxSplitter(1 << 24);
  const expected = [...whole.push(plain), ...whole.end()].map((m) => m.data.toString('latin1'));

  it('reads a large gzip mbox as the plain one, for any chunking of the compressed bytes', async () => {
    expect(expected).toHaveLength(1501);
    expect(plain.length).toBeGreaterThan(2 << 20);
    expect(expected[0]).toMatch(/^Subject: m0\r\n\r\nFrom the start\r\n(line )+0\r\n>From again\r\n\r\n$/);
    expect(expected.at(-1)).toBe('Subject: last\n\nno newline at the end');
    const gz = gzipSync(plain);
    for (const size of [gz.length, 65536, 4093, 7]) {
      const got = await read(gz, size);
      expect(got.map((m) => m.data.toString('latin1'))).toEqual(expected);
      expect(got.at(-1)?.locator).toBe('#1501');
    }
    for (const size of [plain.length, 1 << 20, 333]) expect((await read(plain, size)).map((m) => m.data.toString('latin1'))).toEqual(expected);
  });

  it('names the input when gzip data is broken or cut short', async () => {
    const gz = gzipSync(plain);
    await expect(read(gz.subarray(0, gz.length >> 1), 4096)).rejects.toThrow(/^in: cannot be decompressed: /);
    const bad = Buffer.from(gz);
    bad.fill(0x55, 100, 200);
    await expect(read(bad, 4096)).rejects.toBeInstanceOf(InputError);
  });

  it('takes a stream without a leading separator as one message, within the size limit', async () => {
    const text = Buffer.from('Subject: x\r\n\r\nFrom here on\r\n>From kept\r\n');
    for (const size of [text.length, 5]) {
      const [m, ...rest] = await read(text, size);
      expect(rest).toHaveLength(0);
      expect(m?.locator).toBe('');
      expect(m?.data.equals(text)).toBe(true);
    }
    const [big] = await read(text, 5, 10);
    expect(big?.originalSize).toBe(text.length);
    expect(big?.data.length).toBe(0);
    await expect(read(Buffer.alloc(0), 1)).rejects.toThrow(/^in: is empty$/);
  });

  it('skips blank lines before the first separator and uses the locator it is given', async () => {
    const text = Buffer.from(`\n\n${SEP}\nA: 1\n\n${SEP}\r\nB: 2\r\n`);
    const out: string[] = [];
    const locator = (n: number, fromLine: string): string => `${n}:${fromLine.slice(5, 11)}`;
    for await (const m of messagesFromStream({ source: 'in', chunks: chunked(text, 3), maxBytes: 100, locator })) out.push(`${m.locator} ${m.data.toString()}`);
    expect(out).toEqual(['1:mboxrd A: 1\n\n', '2:mboxrd B: 2\r\n']);
  });
});
