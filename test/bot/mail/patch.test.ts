import { describe, expect, it } from 'vitest';
import { locateDiff } from '../../../bot/mail/mangled.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { toPatch } from '../../../bot/mail/patch.ts';
import { seriesTags } from '../../../bot/mail/trailers.ts';
import { mailText, patchBody, raw, tinyDiff } from '../../helpers/mail-fixtures.ts';

async function patchOf(body: string, headers: Record<string, string> = {}, from?: string) {
  return toPatch(await parseMessage(raw(mailText({ subject: '[PATCH v2 3/4] x', body, headers, ...(from ? { from } : {}) }))));
}

describe('toPatch', () => {
  it('splits commit message, diffstat and diff', async () => {
    const p = await patchOf(patchBody('Fix the frob.\n\nLonger text.'));
    expect(p.index).toBe(3);
    expect(p.commitMessage).toBe('Fix the frob.\n\nLonger text.\n\nSigned-off-by: A U Thor <author@example.org>');
    expect(p.files).toHaveLength(1);
    expect(p.files[0]?.path).toBe('drivers/x.c');
    expect(p.files[0]?.hunks[0]?.lines.find((l) => l.type === 'add')).toMatchObject({ text: 'foo();', newLine: 3 });
    expect(p.mangled).toBeUndefined();
  });

  it('keeps the signature and list footer out of the diff', async () => {
    const body = `${patchBody()}\n_______________________________________________\nList mailing list -- list@example.org\n`;
    const p = await patchOf(body);
    expect(p.files).toHaveLength(1);
    expect(p.files[0]?.hunks[0]?.lines).toHaveLength(4);
  });

  it('parses trailers', async () => {
    const msg = [
      'Subject line body.',
      '',
      'Fixes: 0123456789ab ("dma-buf: old")',
      'Link: https://lore.kernel.org/r/x@y',
      'Reported-by: R <r@example.org>',
      'Reviewed-by: V <v@example.org>',
      'Acked-by: K <k@example.org>',
      'Tested-by: T <t@example.org>',
      'Cc: stable@vger.kernel.org',
      'Note: not a trailer',
    ].join('\n');
    const p = await patchOf(patchBody(msg));
    expect(p.trailers.map((t) => t.name)).toEqual(['Fixes', 'Link', 'Reported-by', 'Reviewed-by', 'Acked-by', 'Tested-by', 'Cc', 'Signed-off-by']);
    expect(p.trailers[0]?.value).toBe('0123456789ab ("dma-buf: old")');
  });

  it('takes the author from an in-body From line', async () => {
    const p = await patchOf(`From: Real Author <real@example.org>\n\n${patchBody('Text.')}`);
    expect(p.author).toEqual({ name: 'Real Author', address: 'real@example.org' });
    expect(p.commitMessage.startsWith('Text.')).toBe(true);
  });

  it('resolves a B4 Relay sender through X-Original-From', async () => {
    const p = await patchOf(patchBody(), { 'X-Original-From': 'Jane Dev <jane@example.org>' }, 'Jane Dev via B4 Relay <devnull+jane.example.org@kernel.org>');
    expect(p.author.address).toBe('jane@example.org');
  });

  it('finds base-commit and change-id after the diff and in headers', async () => {
    const body = `${patchBody()}\n---\nbase-commit: 0123456789abcdef0123456789abcdef01234567\nchange-id: 20250101-topic-0123456789ab\n\nBest regards,\n`;
    const msg = await parseMessage(raw(mailText({ subject: '[PATCH] x', body })));
    expect(seriesTags(msg)).toEqual({ baseCommit: '0123456789abcdef0123456789abcdef01234567', changeId: '20250101-topic-0123456789ab' });
    const viaHeader = await parseMessage(raw(mailText({ subject: '[PATCH] x', headers: { 'X-Change-ID': '20250202-x-1' } })));
    expect(seriesTags(viaHeader).changeId).toBe('20250202-x-1');
    expect(toPatch(msg).files).toHaveLength(1);
  });

  it('reads a bare git diff as one patch', async () => {
    const p = toPatch(await parseMessage(raw(tinyDiff())));
    expect(p.index).toBe(1);
    expect(p.files.map((f) => f.path)).toEqual(['drivers/x.c']);
  });

  it('gives no files and no mangled flag for a message without a diff', async () => {
    const p = await patchOf('Just words.\n');
    expect(p.files).toEqual([]);
    expect(p.mangled).toBeUndefined();
  });
});

describe('mangled diffs', () => {
  it('flags a line wrapped by the mail client', async () => {
    const wrapped = tinyDiff('foo(a_rather_long_argument,').replace('+foo(a_rather_long_argument,\n', '+foo(a_rather_long_argument,\nwrapped_remainder);\n');
    const p = await patchOf(patchBody('Wrapped.', wrapped));
    expect(p.mangled).toMatch(/starts with none of/);
    expect(p.files).toEqual([]);
  });

  it('flags a format=flowed mail whose reflow joined diff lines', async () => {
    // "+foo(); " ends in a space: a soft break that format=flowed decoding joins with " c".
    const diff = tinyDiff('foo(); ');
    const text = mailText({ subject: '[PATCH] x', body: patchBody('Flowed.', diff), headers: { 'Content-Type': 'text/plain; charset=utf-8; format=flowed' } });
    const p = toPatch(await parseMessage(raw(text)));
    expect(p.mangled).toMatch(/^format=flowed mail: /);
    expect(p.files).toEqual([]);
  });

  it('flags hunks with fewer or more lines than their header', () => {
    const short = tinyDiff().replace(' c\n', '');
    expect(locateDiff(short.split('\n')).mangled).toMatch(/ends early|starts with none/);
    const long = tinyDiff().replace(' c\n', ' c\n+extra();\n');
    expect(locateDiff(long.split('\n')).mangled).toMatch(/more lines than its header/);
  });

  it('accepts intact diffs: empty context lines, no-newline markers, binary, several files', () => {
    const diff = [
      'diff --git a/a.c b/a.c',
      '--- a/a.c',
      '+++ b/a.c',
      '@@ -1,2 +1,2 @@',
      '',
      '-x',
      '\\ No newline at end of file',
      '+y',
      '\\ No newline at end of file',
      'diff --git a/img.png b/img.png',
      'index 1111111..2222222 100644',
      'GIT binary patch',
      'literal 3',
      'Kcmb=ZmjC~Jo&YfV',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      'diff --git a/old.c b/new.c',
      'similarity index 100%',
      'rename from old.c',
      'rename to new.c',
      '-- ',
      '2.43.0',
    ];
    const extent = locateDiff(diff);
    expect(extent.mangled).toBeUndefined();
    expect(extent.end).toBe(diff.indexOf('-- '));
  });

  it('is linear on a huge hostile hunk', () => {
    const lines = ['diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -1,999999999 +1,999999999 @@', ...Array.from({ length: 200_000 }, () => ' x')];
    expect(locateDiff(lines).mangled).toMatch(/ends early/);
  });
});
