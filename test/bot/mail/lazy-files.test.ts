// toPatch parses a patch's diff when its files are first read: the files must be what parsing the
// diff's lines up front gave, for every body shape, and reading or replacing them must behave as a
// plain property would.
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileChange, Message } from '../../../bot/model.ts';
import { parseUnifiedDiff } from '../../../bot/mail/diff.ts';
import { diffSpanOf, unparsedBounds } from '../../../bot/mail/lazy-files.ts';
import { locateDiff } from '../../../bot/mail/mangled.ts';
import { toPatch } from '../../../bot/mail/patch.ts';
import { assembleSeries } from '../../../bench/seed-latency.ts';
import { corpusPath } from '../../helpers/corpus.ts';
import { patchBody, tinyDiff } from '../../helpers/mail-fixtures.ts';
import { message, subject } from '../../helpers/review-fixtures.ts';

/** What toPatch gave before files became lazy: the located diff lines, joined and parsed. */
function eagerFiles(msg: Message): FileChange[] {
  const lines = msg.body.split('\n');
  const flowed = /format\s*=\s*"?flowed/i.test(msg.headers.get('content-type') ?? '');
  const diff = locateDiff(lines, 0, flowed);
  return diff.start >= 0 && !diff.mangled ? parseUnifiedDiff(lines.slice(diff.start, diff.end).join('\n')) : [];
}

const msg = (body: string): Message => message('x@test', subject('[PATCH] x'), body);

const BODIES: Record<string, string> = {
  'usual patch': patchBody(),
  'diff at the very start': tinyDiff(),
  'diff without a final newline': tinyDiff().trimEnd(),
  'diff up to the end, no signature': `Msg.\n---\n${tinyDiff()}`,
  'two files and a list footer': `${patchBody('m', tinyDiff('a();', 'x.c') + tinyDiff('b();', 'y.c'))}\n___\nList footer\n`,
  'CRLF line ends': patchBody().replace(/\n/g, '\r\n'),
  'leading blank lines and in-body From': `\n\nFrom: Other <o@example.org>\nSubject: x\n\n${patchBody()}`,
  'mangled (hunk cut short)': `m\n---\n${tinyDiff().replace(' c\n', '')}`,
  'no diff at all': 'Just a cover letter.\n-- \n2.43.0\n',
  'empty body': '',
  'only newlines': '\n\n\n',
  'non-ASCII text': patchBody('Fix für “quotes” 🚀', tinyDiff('s = "é";')),
  'plain diff (no git header)': `m\n---\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n`,
};

describe('toPatch with files parsed on first read', () => {
  for (const [name, body] of Object.entries(BODIES)) {
    it(`gives the files of the eager parse: ${name}`, () => {
      expect(toPatch(msg(body)).files).toEqual(eagerFiles(msg(body)));
    });
  }

  it('gives the eager files for every patch of the seed series', async () => {
    const dir = corpusPath('series');
    const series = await assembleSeries(readdirSync(dir).filter((f) => f.endsWith('.mbox')).map((f) => join(dir, f)));
    let patches = 0;
    for (const s of series) {
      for (const p of s.patches) {
        if (p.mangled?.startsWith('diff could not be parsed')) continue;
        expect(p.files).toEqual(eagerFiles(p.message));
        patches++;
      }
    }
    expect(patches).toBeGreaterThan(50);
  }, 60_000);

  it('gives the eager files for generated bodies', () => {
    const line = fc.oneof(
      fc.constantFrom('diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1 +1 @@', '@@ -1,2 +1,2 @@ f', '\\ No newline at end of file', '---', '-- ', '', ' ', '+', '-'),
      fc.tuple(fc.constantFrom('+', '-', ' ', 'Signed-off-by: ', ''), fc.string({ maxLength: 20 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const body = lines.join(eol);
        expect(toPatch(msg(body)).files).toEqual(eagerFiles(msg(body)));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('parses once, then holds the files as a plain property', () => {
    const p = toPatch(msg(patchBody()));
    expect(Object.getOwnPropertyDescriptor(p, 'files')?.get).toBeDefined();
    const first = p.files;
    expect(p.files).toBe(first);
    expect(Object.getOwnPropertyDescriptor(p, 'files')).toMatchObject({ value: first, writable: true, enumerable: true });
  });

  it('keeps the key order of a plain patch, and spreads and clones with its files', () => {
    const p = toPatch(msg(`m\n---\n${tinyDiff().replace(' c\n', '')}`));
    expect(Object.keys(p)).toEqual(['index', 'message', 'author', 'commitMessage', 'trailers', 'files', 'mangled']);
    expect(toPatch(msg(patchBody()))).toEqual({ ...toPatch(msg(patchBody())) });
    expect(structuredClone(toPatch(msg(patchBody()))).files).toEqual(eagerFiles(msg(patchBody())));
  });

  it('takes assigned files, and no longer claims its body as their source', () => {
    const p = toPatch(msg(patchBody()));
    expect(diffSpanOf(p)).toBeDefined();
    p.files = [];
    expect(p.files).toEqual([]);
    expect(diffSpanOf(p)).toBeUndefined();
    expect(unparsedBounds(p)).toBeUndefined();
  });

  it('has size bounds only while its files are unparsed', () => {
    const p = toPatch(msg(patchBody()));
    expect(unparsedBounds(p)).toEqual({ files: 2, hunks: 1, lines: 9 });
    void p.files;
    expect(unparsedBounds(p)).toBeUndefined();
    expect(diffSpanOf(p)).toBeDefined();
  });
});
