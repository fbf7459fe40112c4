import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../bot/errors.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { mailText, raw, tinyDiff } from '../../helpers/mail-fixtures.ts';

const HEAD = 'From: A U Thor <author@example.org>\nSubject: [PATCH] x\nMessage-ID: <m1@example.org>\nMIME-Version: 1.0\n';

describe('parseMessage: MIME', () => {
  it('decodes quoted-printable', async () => {
    const text = `${HEAD}Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nK=C3=B6nig wrote a very long line that is soft-=\nbroken here.\n+=09tab();\n`;
    const m = await parseMessage(raw(text));
    expect(m.body).toContain('König wrote a very long line that is soft-broken here.');
    expect(m.body).toContain('+\ttab();');
  });

  it('decodes base64 with CRLF inside (as mailing lists re-encode)', async () => {
    const inner = Buffer.from('Line one\r\n\r\n+added();\r\n').toString('base64');
    const m = await parseMessage(raw(`${HEAD}Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n${inner}\n`));
    expect(m.body).toBe('Line one\n\n+added();\n');
  });

  it('decodes ISO-8859-1 (8bit and quoted-printable)', async () => {
    const eightBit = Buffer.concat([
      Buffer.from(`${HEAD}Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n`),
      Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e, 0x0a]),
    ]);
    expect((await parseMessage(raw(eightBit))).body).toBe('Jürgen\n');
    const qp = `${HEAD}Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nJ=FCrgen\n`;
    expect((await parseMessage(raw(qp))).body).toBe('Jürgen\n');
  });

  it('decodes Windows-1252', async () => {
    const data = Buffer.concat([
      Buffer.from(`${HEAD}Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n`),
      Buffer.from([0x93, 0x71, 0x94, 0x20, 0x80, 0x0a]),
    ]);
    expect((await parseMessage(raw(data))).body).toBe('\u201cq\u201d \u20ac\n');
  });

  it('takes the patch from a multipart message with it inline', async () => {
    const text = `${HEAD}Content-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\nCommit text.\n\n${tinyDiff()}--b1--\n`;
    const m = await parseMessage(raw(text));
    expect(m.body).toContain('Commit text.');
    expect(m.body).toContain('+foo();');
  });

  it.each([
    ['text/x-patch', '0001-x.patch'],
    ['text/x-diff', 'x.diff'],
    ['application/octet-stream', '0001-fix.patch'],
    ['text/plain', '0001-fix.patch'],
  ])('appends a %s attachment to the body', async (type, name) => {
    const att = Buffer.from(tinyDiff('attached();')).toString('base64');
    const text = `${HEAD}Content-Type: multipart/mixed; boundary="b2"\n\n--b2\nContent-Type: text/plain\n\nSee the attachment.\n--b2\nContent-Type: ${type}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\nContent-Transfer-Encoding: base64\n\n${att}\n--b2--\n`;
    const m = await parseMessage(raw(text));
    expect(m.body.indexOf('See the attachment.')).toBeLessThan(m.body.indexOf('+attached();'));
  });

  it('ignores attachments that are no patch', async () => {
    const text = `${HEAD}Content-Type: multipart/mixed; boundary="b3"\n\n--b3\nContent-Type: text/plain\n\nHello.\n--b3\nContent-Type: image/png; name="a.png"\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b3--\n`;
    expect((await parseMessage(raw(text))).body.trim()).toBe('Hello.');
  });

  it('normalises CRLF', async () => {
    const text = mailText({ subject: '[PATCH] crlf', body: 'a\nb\n' }).replace(/\n/g, '\r\n');
    const m = await parseMessage(raw(text));
    expect(m.body).toBe('a\nb\n');
    expect(m.subject.text).toBe('crlf');
    expect(m.id).toBe('x@example.org');
  });

  it('turns HTML-only mail into text', async () => {
    const text = `${HEAD}Content-Type: text/html; charset=utf-8\n\n<html><body><p>Looks <b>good</b> to me.</p></body></html>\n`;
    const m = await parseMessage(raw(text));
    expect(m.body).toContain('Looks good to me.');
    expect(m.body).not.toContain('<b>');
  });

  it('prefers the text alternative of multipart/alternative', async () => {
    const text = `${HEAD}Content-Type: multipart/alternative; boundary="b4"\n\n--b4\nContent-Type: text/plain\n\nplain version\n--b4\nContent-Type: text/html\n\n<p>html version</p>\n--b4--\n`;
    expect((await parseMessage(raw(text))).body.trim()).toBe('plain version');
  });

  it('keeps format=flowed text as mailparser decodes it', async () => {
    const text = `${HEAD}Content-Type: text/plain; charset=utf-8; format=flowed\n\nsoft \nbreak\n`;
    expect((await parseMessage(raw(text))).body.trim()).toBe('soft break');
  });

  it('decodes encoded words in Subject and From', async () => {
    const text = mailText({
      subject: '=?utf-8?q?=5BPATCH=5D_K=C3=B6nig?=',
      from: '=?utf-8?q?Christian_K=C3=B6nig?= <ck@example.org>',
    });
    const m = await parseMessage(raw(text));
    expect(m.subject.text).toBe('König');
    expect(m.subject.isPatch).toBe(true);
    expect(m.from).toEqual({ name: 'Christian König', address: 'ck@example.org' });
  });
});

describe('parseMessage: headers', () => {
  it('reads ids, addresses and date', async () => {
    const text = mailText({
      subject: 'Re: [PATCH] x',
      id: 'child@example.org',
      inReplyTo: 'parent@example.org',
      references: ['root@example.org', 'parent@example.org'],
      headers: { Cc: 'B <b@example.org>, c@example.org', 'Reply-To': 'R <r@example.org>' },
    });
    const m = await parseMessage(raw(text));
    expect(m).toMatchObject({ id: 'child@example.org', inReplyTo: 'parent@example.org', references: ['root@example.org', 'parent@example.org'] });
    expect(m.to).toEqual([{ name: '', address: 'list@example.org' }]);
    expect(m.cc.map((a) => a.address)).toEqual(['b@example.org', 'c@example.org']);
    expect(m.replyTo[0]?.address).toBe('r@example.org');
    expect(m.date.toISOString()).toBe('2025-03-04T10:00:00.000Z');
    expect(m.headers.get('subject')).toBe('Re: [PATCH] x');
  });

  it('synthesizes a stable id when Message-ID is missing', async () => {
    const text = mailText({ subject: '[PATCH] x', id: null });
    const a = await parseMessage(raw(text));
    const b = await parseMessage(raw(text));
    const c = await parseMessage(raw(`${text}more`));
    expect(a.id).toMatch(/@deptbot\.invalid$/);
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
  });

  it('keeps the last 1,000 ids of a 10,000-id References chain', async () => {
    const refs = Array.from({ length: 10_000 }, (_, i) => `r${i}@example.org`);
    const m = await parseMessage(raw(mailText({ subject: 'Re: x', references: refs })));
    expect(m.references).toHaveLength(1000);
    expect(m.references[999]).toBe('r9999@example.org');
    expect(m.references[0]).toBe('r9000@example.org');
  });

  it('gives the epoch for an invalid or missing date, never throws', async () => {
    expect((await parseMessage(raw(mailText({ subject: 'x', date: 'yesterday-ish' })))).date.getTime()).toBe(0);
    const noDate = mailText({ subject: 'x' }).replace(/^Date:.*\n/m, '');
    expect((await parseMessage(raw(noDate))).date.getTime()).toBe(0);
  });

  it('skips the mbox From line of a git format-patch file', async () => {
    const text = `From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n${mailText({ subject: '[PATCH] y' })}`;
    const m = await parseMessage(raw(text));
    expect(m.subject.text).toBe('y');
    expect(m.from.address).toBe('author@example.org');
  });

  it('takes a bare git diff as one patch', async () => {
    const m = await parseMessage(raw(tinyDiff()));
    expect(m.subject).toMatchObject({ isPatch: true, counter: 1, expected: 1, text: 'drivers/x.c' });
    expect(m.body).toContain('+foo();');
    expect(m.from).toEqual({ name: '', address: '' });
  });
});

describe('parseMessage: limits and broken input', () => {
  it('rejects an oversized message naming source, locator and size', async () => {
    const big = raw(mailText({ subject: 'x', body: 'a'.repeat(2000) }), '#7');
    await expect(parseMessage(big, { maxBytes: 1000 })).rejects.toThrow(/^test#7: message is \d+ bytes, over the limit of 1000$/);
    const cut = { ...raw('', '#8'), originalSize: 30 * 1024 * 1024 };
    await expect(parseMessage(cut)).rejects.toThrow('test#8: message is 31457280 bytes');
  });

  it('drops HTML too large to convert instead of stalling on it', async () => {
    const html = `<p>${'x'.repeat(4 * 1024 * 1024 + 10)}</p>`;
    const text = `${HEAD}Content-Type: text/html\n\n${html}\n`;
    expect((await parseMessage(raw(text))).body).toBe('');
  });

  it('never fails with anything but InputError on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (bytes, withHeader) => {
        const data = withHeader ? Buffer.concat([Buffer.from(`${HEAD}Content-Type: multipart/mixed; boundary=z\n\n--z\n`), bytes]) : Buffer.from(bytes);
        try {
          const m = await parseMessage(raw(data));
          expect(typeof m.body).toBe('string');
          expect(m.id.length).toBeGreaterThan(0);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
