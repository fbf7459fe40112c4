import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFromLine, splitMbox } from '../../../bot/sources/mbox-split.ts';
import { unescapeFromLines } from '../../../bot/sources/mbox-unescape.ts';

const SEP = 'From mboxrd@z Thu Jan  1 00:00:00 1970';

async function* chunked(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let pos = 0;
  let i = 0;
  while (pos < data.length) {
    const n = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    yield data.subarray(pos, pos + n);
    pos += n;
  }
}

async function split(text: string, sizes = [1 << 16], maxBytes = 1 << 20): Promise<string[]> {
  const out: string[] = [];
  for await (const m of splitMbox(chunked(Buffer.from(text), sizes), maxBytes)) out.push(m.originalSize ? `<${m.originalSize}>` : m.data.toString());
  return out;
}

describe('splitMbox', () => {
  it('splits on asctime From lines only', async () => {
    const text = `${SEP}\nSubject: a\n\nFrom the start, a body line.\n\n${SEP}\nSubject: b\n\nbody\n`;
    expect(await split(text)).toEqual(['Subject: a\n\nFrom the start, a body line.\n\n', 'Subject: b\n\nbody\n']);
  });

  it('un-escapes >From lines one level (mboxrd)', async () => {
    const text = `${SEP}\nSubject: a\n\n>From here\n>>From there\n> quoted\n`;
    expect(await split(text)).toEqual(['Subject: a\n\nFrom here\n>From there\n> quoted\n']);
  });

  it('gives the same messages for any chunking', async () => {
    const text = `${SEP}\nA: 1\n\nx\n>From y\n\n${SEP}\r\nB: 2\r\n\r\nFrom z\r\n\n${SEP}\nC: 3\n\nend`;
    const whole = await split(text);
    expect(whole).toHaveLength(3);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), async (sizes) => {
        expect(await split(text, sizes)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps only the size of a message over the limit', async () => {
    const text = `${SEP}\nA: 1\n\n${'x'.repeat(500)}\n${SEP}\nB: 2\n\nsmall\n`;
    expect(await split(text, [7], 100)).toEqual(['<507>', 'B: 2\n\nsmall\n']);
  });

  it('recognises separators of common writers and rejects prose', () => {
    expect(isFromLine('From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001')).toBe(true);
    expect(isFromLine(SEP)).toBe(true);
    expect(isFromLine('From MAILER-DAEMON Fri Jul  8 12:08:34 2011')).toBe(true);
    expect(isFromLine('From 1@x Sat Jan 03 01:05:34 +0000 2009')).toBe(true);
    expect(isFromLine('From the maintainer: please rebase')).toBe(false);
    expect(isFromLine(`From ${'a '.repeat(5000)}`)).toBe(false);
  });

  it('un-escapes nothing when there is nothing to un-escape', () => {
    const b = Buffer.from('a\n> b\n');
    expect(unescapeFromLines(b)).toBe(b);
  });
});
