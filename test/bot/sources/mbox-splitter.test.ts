// The chunk-searching splitter against a plain line-by-line reading of the same mbox rules (one
// string per line, the slow and obvious way), on tricky inputs and any chunking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MboxSplitter, isFromLine, splitMbox } from '../../../bot/sources/mbox-split.ts';
import { unescapeFromLines } from '../../../bot/sources/mbox-unescape.ts';

const SEP = 'From mboxrd@z Thu Jan  1 00:00:00 1970';
/** A separator of `n` bytes (n >= 330), padded with the spaces the format allows. */
const sepOf = (n: number): string => `From ${'x'.repeat(300)}${' '.repeat(n - 329)}Mon Sep 17 00:00:00 2001`;

interface Out {
  text: string;
  fromLine: string;
  originalSize?: number;
}

/** The rules, line by line: separators end with a newline and are at most 400 bytes (CR included). */
function reference(text: string, maxBytes: number): Out[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: Out[] = [];
  let cur: { fromLine: string; lines: string[] } | null = null;
  const finish = (): void => {
    if (!cur) return;
    const body = cur.lines.join('');
    if (body.length > maxBytes) out.push({ text: '', fromLine: cur.fromLine, originalSize: body.length });
    else out.push({ text: cur.lines.map((l) => (/^>+From /.test(l) ? l.slice(1) : l)).join(''), fromLine: cur.fromLine });
  };
  for (const line of lines) {
    const bare = line.endsWith('\n') ? line.slice(0, -1) : null;
    const sep = bare === null || bare.length > 400 ? null : bare.replace(/\r$/, '');
    if (sep !== null && isFromLine(sep)) {
      finish();
      cur = { fromLine: sep, lines: [] };
    } else cur?.lines.push(line);
  }
  finish();
  return out;
}

function splitWith(data: Buffer, sizes: readonly number[], maxBytes: number): Out[] {
  const s = new MboxSplitter(maxBytes);
  const got = [];
  let pos = 0;
  for (let i = 0; pos < data.length; i++) {
    const n = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? data.length);
    got.push(...s.push(data.subarray(pos, pos + n)));
    pos += n;
  }
  got.push(...s.end());
  return got.map((m) => {
    const o: Out = { text: m.data.toString('latin1'), fromLine: m.fromLine };
    if (m.originalSize !== undefined) o.originalSize = m.originalSize;
    return o;
  });
}

const piece = fc.constantFrom(
  `${SEP}\n`,
  `${SEP}\r\n`,
  `${SEP}`,
  'From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n',
  'From the maintainer: not a separator\n',
  `${sepOf(400)}\n`,
  `${sepOf(400)}\r\n`,
  `${sepOf(399)}\r\n`,
  `${sepOf(401)}\n`,
  'From x@y Mon Sep 17 00:00:00 2001 ',
  'From ',
  'Fro',
  'F',
  '>From a\n',
  '>>From b\n',
  '> >From c\n',
  '>>>',
  '>',
  '\n',
  '\r\n',
  'Subject: s\n',
  'body line\n',
  ' From d\n',
  'xFrom e\n',
  '\xe9\xff\n',
);
const mbox = fc.array(piece, { maxLength: 60 }).map((p) => Buffer.from(p.join(''), 'latin1'));
const sizes = fc.array(fc.integer({ min: 1, max: 70 }), { maxLength: 12 });

describe('MboxSplitter', () => {
  it('equals the line-by-line reading for any input, chunking and size limit', () => {
    fc.assert(
      fc.property(mbox, sizes, fc.constantFrom(1 << 20, 64, 20), (data, cuts, max) => {
        expect(splitWith(data, cuts, max)).toEqual(reference(data.toString('latin1'), max));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a separator split across chunks at every byte, CRLF included', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = `${SEP}${eol}A: 1${eol}${eol}x${eol}${SEP}${eol}B: 2${eol}${eol}y${eol}`;
      const whole = splitWith(Buffer.from(text), [], 1 << 20);
      expect(whole.map((m) => m.text)).toEqual([`A: 1${eol}${eol}x${eol}`, `B: 2${eol}${eol}y${eol}`]);
      for (let cut = 1; cut < text.length; cut++) {
        expect(splitWith(Buffer.from(text), [cut, text.length], 1 << 20)).toEqual(whole);
      }
      expect(splitWith(Buffer.from(text), [1], 1 << 20)).toEqual(whole);
    }
  });

  it('keeps a final line without a newline, even one that looks like a separator', () => {
    expect(splitWith(Buffer.from(`${SEP}\nA: 1\n\nlast`), [3], 100).map((m) => m.text)).toEqual(['A: 1\n\nlast']);
    expect(splitWith(Buffer.from(`${SEP}\nA: 1\n\n${SEP}`), [5], 100).map((m) => m.text)).toEqual([`A: 1\n\n${SEP}`]);
  });

  it('un-escapes >From lines that straddle chunks, without touching the chunks', () => {
    const data = Buffer.from(`${SEP}\nA: 1\n\n>From x\n>>From y\nq >From z\n`);
    const copy = Buffer.from(data);
    for (const n of [1, 2, 7, 20]) {
      expect(splitWith(data, [n], 1 << 20).map((m) => m.text)).toEqual(['A: 1\n\nFrom x\n>From y\nq >From z\n']);
    }
    expect(data.equals(copy)).toBe(true);
  });

  it('un-escapes a >From line split between chunks at any byte', () => {
    const text = `${SEP}\nA: 1\n\nx\n>>From y\n${SEP}\nB: 2\n\n>From z`;
    const want = ['A: 1\n\nx\n>From y\n', 'B: 2\n\nFrom z'];
    for (let cut = 1; cut < text.length; cut++) {
      expect(splitWith(Buffer.from(text), [cut, text.length], 1 << 20).map((m) => m.text)).toEqual(want);
      expect(splitWith(Buffer.from(text), [cut], 1 << 20).map((m) => m.text)).toEqual(want);
    }
  });

  it('drops bytes before the first separator', () => {
    expect(splitWith(Buffer.from(`junk\n\n${SEP}\nA: 1\n`), [4], 100).map((m) => m.text)).toEqual(['A: 1\n']);
  });

  it('takes separator lines up to 400 bytes, CR included, however they are chunked', () => {
    expect(isFromLine(sepOf(400))).toBe(true);
    for (const [line, splits] of [
      [`${sepOf(400)}\n`, true],
      [`${sepOf(399)}\r\n`, true],
      [`${sepOf(400)}\r\n`, false],
      [`${sepOf(401)}\n`, false],
    ] as const) {
      const text = `${SEP}\nA: 1\n${line}B\n`;
      for (const n of [text.length, 1, 10, 399]) expect(splitWith(Buffer.from(text), [n], 1 << 20).length).toBe(splits ? 2 : 1);
    }
  });

  it('is what splitMbox yields', async () => {
    const data = Buffer.from(`${SEP}\nA: 1\n\n>From x\n${SEP}\nB: 2\n`);
    async function* twoChunks(): AsyncGenerator<Buffer> {
      yield data.subarray(0, 9);
      yield data.subarray(9);
    }
    const got: Out[] = [];
    for await (const m of splitMbox(twoChunks(), 1 << 20)) got.push({ text: m.data.toString('latin1'), fromLine: m.fromLine });
    expect(got).toEqual(splitWith(data, [9, data.length], 1 << 20));
    expect(got.map((m) => m.text)).toEqual(['A: 1\n\nFrom x\n', 'B: 2\n']);
  });
});

describe('unescapeFromLines', () => {
  const byLines = (s: string): string =>
    s
      .split('\n')
      .map((l) => (/^>+From /.test(l) ? l.slice(1) : l))
      .join('\n');

  it('removes one ">" from each >From line start, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('>', 'From ', '\n', '\r', ' ', 'x', '>From '), { maxLength: 40 }), (parts) => {
        const s = parts.join('');
        expect(unescapeFromLines(Buffer.from(s, 'latin1')).toString('latin1')).toBe(byLines(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns a copy and leaves its input alone', () => {
    const b = Buffer.from('>From a\n');
    const out = unescapeFromLines(b);
    expect(out.toString()).toBe('From a\n');
    expect(b.toString()).toBe('>From a\n');
  });
});
