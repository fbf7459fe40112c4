// The parser's fast paths against mailparser itself (the slow path they stand in for): each case
// is decoded both ways and must agree exactly; the shapes a fast path declines go to mailparser.
import fc from 'fast-check';
import { parseAddressHeader, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../bot/errors.ts';
import type { Address } from '../../../bot/model.ts';
import { parseAddressList } from '../../../bot/mail/address-list.ts';
import { decodeCp1252 } from '../../../bot/mail/charsets.ts';
import { parseStructured } from '../../../bot/mail/content-type.ts';
import { mimeText } from '../../../bot/mail/mime-text.ts';
import { readHeaderBlock } from '../../../bot/mail/header-block.ts';
import { addresses } from '../../../bot/mail/addresses.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { mailparserSubject } from '../../../bot/mail/subject-words.ts';
import { raw } from '../../helpers/mail-fixtures.ts';

const OPTIONS = { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true };

function viaMailparser(value: string): Address[] {
  const out: Address[] = [];
  for (const a of parseAddressHeader(value, { flatten: true }).value) {
    if (a.address || a.name) out.push({ name: a.name, address: a.address ?? '' });
  }
  return out;
}

const never = (): null => null;

describe('address lists', () => {
  const common = [
    'A U Thor <author@example.org>',
    'author@example.org',
    '<author@example.org>',
    '"Thor, A U" <author@example.org>',
    '"Thor, A U"<author@example.org>',
    '""  <author@example.org>',
    '"  spaced  " <a@b.example>',
    '"a@b.example" <a@b.example>',
    'a@b.example <a@b.example>',
    'x@y.example <a@b.example>',
    'Ingo  Molnar\t<mingo@kernel.org>, , linux-kernel@vger.kernel.org,',
    '=?utf-8?q?Christian_K=C3=B6nig?= <christian.koenig@amd.com>',
    '=?UTF-8?B?Q2hyaXN0aWFuIEvDtm5pZw==?= <christian.koenig@amd.com>',
    '=?iso-8859-1?Q?Christian_K=F6nig?= <ckoenig@example.org>',
    '=?us-ascii?Q?Jane_=80Doe?= <jane@example.org>',
    '"=?utf-8?q?J=C3=B6rg?=" <j@example.org>',
    // one character split across two B words of one charset: joined before decoding
    '=?utf-8?B?w6k=?= =?utf-8?B?w6k=?= <e@example.org>',
    '=?utf-8?B?w6?= =?utf-8?B?mp?= <split@example.org>',
    '=?utf-8?Q?a?=  =?iso-8859-1?Q?=E9?= <mixed@example.org>',
    'Thomas Hellström <thomas@example.org>',
    '"Quoted (not a comment) <x@y> ; : [z]" <q@example.org>',
    'linux-kernel @vger.kernel.org, Jane <jane@example.org>',
    'linux-kerne l@vger.kernel.org',
    '\u00a0Name\u00a0 <a@b.example>',
    '"David \\(ChunMing\\) Zhou" <david@example.org>, b@c.example',
    '"\\ a \\"quoted\\" \\\\ b" <q@example.org>',
    '"ends in an escaped quote\\"" <q@example.org>',
    'Name <a@b. example>, "X" <x@y.example>',
    'Name <a@b.example> trailing, c@d.example',
    'a>b@c.example, <a<b@c.example>',
  ];
  it.each(common)('reads %j as mailparser does, without it', (value) => {
    expect(parseAddressList(value, (e) => viaMailparser(e)[0] ?? null)).toEqual(viaMailparser(value));
    expect(addresses(value)).toEqual(viaMailparser(value));
  });

  it('takes the fast path for the common shapes', () => {
    expect(parseAddressList(common[0] as string, never)).not.toBeNull();
    expect(parseAddressList('A <a@b.example>, "B, C" <c@d.example>, e@f.example', never)).toHaveLength(3);
  });

  const other = [
    'undisclosed-recipients:;',
    'list: a@b.example, C <c@d.example>;, e@f.example',
    'Last, First <first@example.org>',
    'Thomas (Intel) <thomas@example.org>',
    'Name <a, b@c.example>, d@e.example',
    'Name <a@b.example, c@d.example',
    '"\\ a \\"never closed\\" <q@example.org>',
    'a@b.example (A Name)',
    '<@relay.example:user@example.org>',
    'user@xn--bcher-kva.example',
    '=?utf-8?q?evil=40example.org?= <good@example.org>',
    'Name <=?utf-8?q?a=40b.example?=>',
    '=?iso-8859-15?Q?Cl=E9ment?= <c@example.org>',
    '=?utf-8*en?Q?a?= <a@example.org>',
    'a@[127.0.0.1]',
    'a@b@c.example',
    '"Name" junk <a@b.example>',
    'Name <a@b.example> trailing',
    '"unterminated <a@b.example>',
    'Name <a b@c.example>',
    'Name <>',
    'plain words',
    'a@b.example; c@d.example',
    'x\u0001y <a@b.example>',
    '"Name" <a@b.example>, Foo Bar, baz@qux.example',
  ];
  it.each(other)('leaves %j to mailparser, or agrees with it', (value) => {
    expect(addresses(value)).toEqual(viaMailparser(value));
  });

  it('agrees with mailparser on generated lists', () => {
    const atom = fc.stringMatching(/^[a-z0-9.+-]{1,8}$/);
    const name = fc.stringMatching(/^[A-Za-z\u00e9 ,.'"()<>@:;\\=?_\t-]{0,12}$/);
    const entry = fc.oneof(
      fc.tuple(atom, atom).map(([l, d]) => `${l}@${d}`),
      fc.tuple(name, atom, atom).map(([n, l, d]) => `${n} <${l}@${d}>`),
      fc.tuple(name, atom, atom).map(([n, l, d]) => `"${n}" <${l}@${d}>`),
      fc.tuple(name, atom, atom).map(([n, l, d]) => `=?utf-8?Q?${encodeURIComponent(n).replace(/%/g, '=')}?= <${l}@${d}>`),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.constantFrom(', ', ',', ' , ', ';'), (entries, sep) => {
        const value = entries.join(sep);
        expect(addresses(value)).toEqual(viaMailparser(value));
      }),
      { numRuns: 400 },
    );
  });
});

function fieldsOf(head: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).toLowerCase();
    if (colon > 0 && !fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  return fields;
}

async function mailparserText(head: string, body: Buffer): Promise<string> {
  const parsed = await simpleParser(Buffer.concat([Buffer.from(`${head.replace(/\n/g, '\r\n')}\r\n\r\n`), body]), OPTIONS);
  expect(parsed.attachments).toHaveLength(0);
  return (parsed.text ?? '').replace(/\r\n/g, '\n');
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('single-part text beyond plain UTF-8', () => {
  const cases: [string, string, Buffer | string][] = [
    ['qp soft breaks and blanks', 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable', 'a=\nb  \nc \t=\r\nd=3D=3d=4\n=e9=\n\n=C3=A9=\r\nx ==\n= \ny='],
    ['qp escape formed across a soft break', 'Content-Type: text/plain\nContent-Transfer-Encoding: Quoted-Printable', '=4=\n1 and =\n=41=4'],
    ['latin-1 qp, every byte', 'Content-Type: text/plain; charset="iso-8859-1"\nContent-Transfer-Encoding: quoted-printable', [...ALL_BYTES].map((b) => `=${b.toString(16).padStart(2, '0')}`).join('')],
    ['windows-1252 8bit, every byte', 'Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit', ALL_BYTES],
    ['latin1 alias, quoted with blanks', 'Content-Type: text/plain; charset=" Latin1 "', ALL_BYTES],
    ['iso-8859-15, every byte', 'Content-Type: text/plain; charset=ISO-8859-15; format=flowed', ALL_BYTES],
    ['us-ascii carrying UTF-8', 'Content-Type: text/plain; charset=US-ASCII\nContent-Transfer-Encoding: quoted-printable', 'K=C3=B6nig =FF\n'],
    ['flowed', 'Content-Type: text/plain; charset=utf-8; format=flowed', 'one \ntwo\n\n> quoted \n> more\n>> deeper \n> back\n-- \nsig \n  stuffed\n From x\n'],
    ['flowed delsp', 'Content-Type: text/plain; charset="utf-8"; format="Flowed"; delsp="yes"', 'Kö \nnig wr \nites\r\n \r\n-- \r\n'],
    ['flowed delsp joins bytes of one character', 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\nContent-Transfer-Encoding: 8bit', Buffer.from([0x61, 0xc3, 0x20, 0x0a, 0xa9, 0x0a])],
    ['flowed in base64', 'Content-Type: text/plain; format=flowed\nContent-Transfer-Encoding: base64', Buffer.from('soft \nbreak\n').toString('base64')],
    ['flowed latin-1 qp', 'Content-Type: text/plain; charset=iso-8859-1; format=flowed\nContent-Transfer-Encoding: quoted-printable', 'J=FCr=\ngen \nwrote\n'],
    ['base64 in padded segments with junk', 'Content-Type: text/plain; format=flowed\nContent-Transfer-Encoding: base64', 'aGk=\nIHRo\n ZXJl*\n\u00ffCg==\nQQ'],
    ['lone CR and CRLF', 'Content-Type: text/plain; format=flowed', 'a\rb \r\nc\r\n\r\n'],
    ['stuffing after a lone CR, U+2028 and broken UTF-8 at soft breaks', 'Content-Type: text/plain; charset=utf-8; format=flowed\nContent-Transfer-Encoding: 8bit', Buffer.from([0x20, 0x61, 0x0d, 0x20, 0x62, 0xe2, 0x80, 0xa8, 0x20, 0x63, 0xc3, 0x20, 0x0a, 0x20, 0xa9, 0x0a, 0x3e, 0x20, 0xe2, 0x20, 0x0a, 0x3e, 0x80, 0x0d, 0x0d, 0x0a, 0x20, 0x2d, 0x2d, 0x20, 0x0a, 0x78])],
    ['delsp=yes in windows-1252', 'Content-Type: text/plain; charset=windows-1252; format=flowed; delsp=yes\nContent-Transfer-Encoding: 8bit', Buffer.from([0x93, 0x20, 0x0a, 0x94, 0xa0, 0x20, 0x0a, 0x20, 0x85, 0x0a])],
    ['empty body', 'Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable', ''],
    ['disposition inline, first charset wins', 'Content-Type: text/plain; charset=iso-8859-1; charset=utf-8;\nContent-Disposition: INLINE\nContent-Transfer-Encoding: quoted-printable', '=E9'],
    ['no content type', 'Content-Transfer-Encoding: quoted-printable', 'caf=C3=A9'],
    ['unknown transfer encoding token', 'Content-Type: text/plain; charset=cp1252; format=flowed\nContent-Transfer-Encoding: x-token', Buffer.from([0x80, 0x20, 0x0a, 0x41])],
  ];
  it.each(cases)('%s: equals mailparser', async (_name, head, body) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const fast = mimeText(fieldsOf(head), bytes);
    expect(fast).not.toBeNull();
    expect(fast).toBe(await mailparserText(head, bytes));
  });

  it.each([
    ['a boundary parameter', 'Content-Type: text/plain; boundary=x; format=flowed'],
    ['an RFC 2231 parameter', "Content-Type: text/plain; charset*=utf-8''x; format=flowed"],
    ['a comment', 'Content-Type: text/plain (c); format=flowed'],
    ['an escape', 'Content-Type: text/plain; format="flo\\wed"'],
    ['another type', 'Content-Type: text/html; charset=utf-8'],
    ['an attachment', 'Content-Type: text/plain; format=flowed\nContent-Disposition: attachment'],
    ['an unknown charset', 'Content-Type: text/plain; charset=iso-8859-2\nContent-Transfer-Encoding: quoted-printable'],
    ['a name libmime reads otherwise', 'Content-Type: text/plain; charset=latin9'],
    ['a refused charset', 'Content-Type: text/plain; charset=utf-7; format=flowed'],
    ['a quoted transfer encoding', 'Content-Type: text/plain; format=flowed\nContent-Transfer-Encoding: "base64"'],
  ])('declines %s', (_name, head) => {
    expect(mimeText(fieldsOf(head), Buffer.from('x'))).toBeNull();
  });

  it('reads the parameters of plain Content-Types only', () => {
    const names = new Set(['charset', 'format']);
    expect(parseStructured('TEXT/Plain ;Charset = "x y" ; ; format=flowed;', names)).toEqual({ value: 'text/plain', params: new Map([['charset', 'x y'], ['format', 'flowed']]) });
    expect(parseStructured('text/plain; charset=a; charset=b', names)?.params.get('charset')).toBe('a');
    for (const bad of ['text/plain junk', 'text/plain; charset="a"b', 'text/plain; charset', 'text/plain; name=x', 'text/plain; charset="=?utf-8?q?x?="', '"text/plain"']) {
      expect(parseStructured(bad, names)).toBeNull();
    }
  });

  it('decodes Windows-1252 as mailparser does, undefined bytes as U+FFFD', async () => {
    const head = 'Content-Type: text/plain; charset=windows-1252';
    expect(decodeCp1252(ALL_BYTES)).toBe(await mailparserText(head, ALL_BYTES));
    expect(decodeCp1252(Buffer.from([0x81, 0x41]))).toBe('\ufffdA');
  });

  it('agrees with mailparser on generated quoted-printable and flowed bodies', async () => {
    const body = fc.stringMatching(/^[a-c =\t>\-\r\n0-9A-F\u00e9\u2028\u00a9\u00c3]{0,40}$/);
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), fc.boolean(), fc.constantFrom('utf-8', 'iso-8859-1'), async (text, qp, delsp, charset) => {
        const head = `Content-Type: text/plain; charset=${charset}; format=flowed${delsp ? '; delsp=yes' : ''}${qp ? '\nContent-Transfer-Encoding: quoted-printable' : ''}`;
        const bytes = Buffer.from(text, 'utf8');
        expect(mimeText(fieldsOf(head), bytes)).toBe(await mailparserText(head, bytes));
        // Raw bytes too: broken UTF-8 around soft breaks.
        const broken = Buffer.from(text.replace(/\u00e9/g, '\u00c3'), 'latin1');
        expect(mimeText(fieldsOf(head), broken)).toBe(await mailparserText(head, broken));
      }),
      { numRuns: 300 },
    );
  });
});

async function mailparserSubjectOf(value: string): Promise<string> {
  return (await simpleParser(Buffer.from(`subject: ${value}\r\n\r\n`), OPTIONS)).subject ?? value;
}

describe('subjects', () => {
  it.each([
    '[PATCH v2 1/3] dma-buf: plain',
    '=?utf-8?Q?Re:_[PATCH]_K=C3=B6nig?=',
    '=?UTF-8?B?W1BBVENIXSBkcm0vYW1kOiDDqcOp?= =?UTF-8?B?w6k=?=',
    '=?utf-8?B?w6?= =?utf-8?B?mp?=',
    '=?iso-8859-1?q?J=FCrgen?= and =?utf-8?q?J=C3=BCrgen?=',
    '=?iso-8859-15?q?=A4=BD?= =?ISO-8859-15?B?pA==?= =?iso-8859-1?q?=A4?=',
    '=?utf-8?B??=',
    '=?utf-8?Q?a?=    b =?utf-8?Q?c?=',
    'Re: voilà',
    'ends in a character whose last UTF-8 byte is 0xA0: à',
    'tab\tinside',
  ])('reads %j as mailparser does', async (value) => {
    const fast = mailparserSubject(value);
    expect(fast).not.toBeNull();
    expect(fast).toBe(await mailparserSubjectOf(value));
  });

  it('declines charsets it does not know and control characters', () => {
    expect(mailparserSubject('=?koi8-r?Q?=A4?=')).toBeNull();
    expect(mailparserSubject('a\rb')).toBeNull();
  });
});

describe('parseMessage on the fast paths', () => {
  const HEAD = 'From: "Thor, A U" <author@example.org>\nTo: a@b.example, =?utf-8?q?J=C3=B6rg?= <j@example.org>\nMessage-ID: <m@x>\n';

  it('decodes a quoted-printable latin-1 message and its subject', async () => {
    const m = await parseMessage(raw(`${HEAD}Subject: [PATCH] caf=?iso-8859-1?q?=E9?=\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nJ=FCrgen =\nwrote\n`));
    expect(m.body).toBe('Jürgen wrote\n');
    expect(m.subject.text).toBe('café');
    expect(m.from).toEqual({ name: 'Thor, A U', address: 'author@example.org' });
    expect(m.to).toEqual([
      { name: '', address: 'a@b.example' },
      { name: 'Jörg', address: 'j@example.org' },
    ]);
  });

  it('gives the same error as mailparser for a subject over its header limit', async () => {
    const subject = `=?utf-8?q?x?= ${'y'.repeat(1_200_000)}`;
    for (const type of ['text/plain', 'text/plain; format=flowed']) {
      const p = parseMessage(raw(`${HEAD}Subject: ${subject}\nContent-Type: ${type}\n\nbody\n`));
      await expect(p).rejects.toBeInstanceOf(InputError);
      await expect(p).rejects.toThrow(/broken MIME structure: Max header size/);
    }
  });
});

describe('hostile sizes stay linear on the fast paths', () => {
  it('reads megabyte address lists, bodies and part headers', async () => {
    expect(parseAddressList('"a" <'.repeat(200_000), never)).toBeNull();
    expect(parseAddressList(`"${'\\x'.repeat(300_000)}" <a@b.example>`, never)).toEqual([{ name: 'x'.repeat(300_000), address: 'a@b.example' }]);
    expect(parseAddressList('"a" <a@b.example>,'.repeat(50_000), never)).toHaveLength(50_000);
    const cp = Buffer.alloc(2_000_000, 0x93);
    expect(mimeText(fieldsOf('Content-Type: text/plain; charset=windows-1252'), cp)).toBe('\u201c'.repeat(2_000_000));
    const head = `Content-Type: multipart/mixed; boundary=b\n\n--b\nX-A: ${'\r'.repeat(15_000)}x\n\nbody\n--b--\n`;
    const m = await parseMessage(raw(`From: a@b.example\nSubject: s\n${head}`));
    expect(m.body).toBe('body');
  });
});

/** The header reader as it was (one sticky regex per line), to check the faster one against. */
function referenceHeaders(data: Buffer): Map<string, string> {
  const FIELD = /[!-9;-~]{1,128}[ \t]*:/y;
  const text = data.toString('utf8');
  const fields = new Map<string, string>();
  let key: string | null = null;
  let value = '';
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (key !== null) value += ' ' + line.trim();
      continue;
    }
    if (key !== null) fields.set(key, value.trim());
    key = null;
    if (line === '') break;
    FIELD.lastIndex = 0;
    if (!FIELD.test(line)) continue;
    const name = line.slice(0, FIELD.lastIndex - 1).trimEnd().toLowerCase();
    if (!fields.has(name)) {
      key = name;
      value = line.slice(FIELD.lastIndex);
    }
  }
  if (key !== null) fields.set(key, value.trim());
  return fields;
}

describe('header block', () => {
  it('reads generated headers as the regex reader does', () => {
    const name = fc.oneof(fc.constantFrom('Subject', 'SUBJECT', 'subject', 'X-A', 'Received', 'x-a'), fc.stringMatching(/^[!-9;-~]{1,3}$/), fc.constant('N'.repeat(128)), fc.constant('N'.repeat(129)));
    const line = fc.oneof(
      fc.tuple(name, fc.constantFrom('', ' ', '\t '), fc.stringMatching(/^[ -~\u00e9\r]{0,12}$/)).map(([n, b, v]) => `${n}${b}:${v}`),
      fc.stringMatching(/^[ \t][ -~\r]{0,10}$/),
      fc.stringMatching(/^[ -~]{0,10}$/),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const data = Buffer.from(`${lines.join(eol)}${eol}${eol}body`);
        expect([...readHeaderBlock(data).fields]).toEqual([...referenceHeaders(data)]);
      }),
      { numRuns: 2000 },
    );
  });
});

