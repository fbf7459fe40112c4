// multipart-text.ts against mailparser itself: the text of inline text parts plus patch
// attachments, built both ways, must agree exactly; shapes it declines go to mailparser.
import fc from 'fast-check';
import { simpleParser, type Attachment } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { multipartText } from '../../../bot/mail/multipart-text.ts';

const OPTIONS = { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true };

function isPatch(att: Attachment): boolean {
  const type = att.contentType.toLowerCase();
  const name = (att.filename ?? '').toLowerCase();
  if (type === 'text/x-patch' || type === 'text/x-diff' || type === 'text/x-log') return true;
  return (name.endsWith('.patch') || name.endsWith('.diff')) && (type.startsWith('text/') || type === 'application/octet-stream');
}

/** parse-message.ts's text of a mailparser result: the text, then every patch attachment. */
async function viaMailparser(type: string, body: string): Promise<string> {
  const parsed = await simpleParser(Buffer.concat([Buffer.from(`content-type: ${type}\r\n\r\n`), Buffer.from(body, 'latin1')]), OPTIONS);
  let text = parsed.text ?? '';
  for (const att of parsed.attachments) {
    if (!isPatch(att)) continue;
    const params = (att.headers.get('content-type') as { params?: Record<string, unknown> } | undefined)?.params;
    const charset = typeof params?.charset === 'string' ? params.charset : 'utf-8';
    let decoded: string;
    try {
      decoded = new TextDecoder(charset).decode(att.content);
    } catch {
      decoded = new TextDecoder('utf-8').decode(att.content);
    }
    if (text.length > 0 && !text.endsWith('\n')) text += '\n';
    text += decoded;
  }
  return text;
}

function fast(type: string, body: string): string | null {
  return multipartText(new Map([['content-type', type]]), Buffer.from(body, 'latin1'));
}

const MIXED = 'multipart/mixed; boundary="b1"';
const FOOTER = '--b1\nContent-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: base64\nContent-Disposition: inline\n\nX19fCmxpc3QK\n--b1--\n';

describe('multipart text', () => {
  const cases: [string, string, string][] = [
    ['list footer after a plain part', MIXED, `preamble\n--b1\nContent-Type: text/plain; charset=us-ascii\n\nHello\n\n${FOOTER}epilogue\n`],
    ['an empty part in between (one line end, kept)', MIXED, `--b1\nContent-Type: text/plain\n\nA\n\n--b1\nContent-Type: text/plain; charset="utf-8"\n\n\n${FOOTER}`],
    ['a last part of one line end (dropped)', MIXED, '--b1\nContent-Type: text/plain\n\nA\n--b1\nContent-Type: text/plain\n\n\r\n--b1--\n'],
    ['a part without headers, CRLF everywhere', MIXED, '--b1\r\n\r\nno headers\r\n--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n\r\n--b1--\r\n'],
    [
      'PGP signed inside a list wrapper',
      MIXED,
      '--b1\nContent-Type: multipart/signed; micalg=pgp-sha256;\n protocol="application/pgp-signature"; boundary="b2"\n\nThis is an OpenPGP/MIME signed message\n--b2\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nJ=FCrgen =\nwrote\n\n--b2\nContent-Type: application/pgp-signature; name="signature.asc"\n\n-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n\n--b2--\n\n' + FOOTER,
    ],
    ['HTML alternative ignored', 'multipart/alternative; boundary=b1', '--b1\nContent-Type: text/plain; format=flowed\n\nsoft \nbreak\n--b1\nContent-Type: text/html\n\n<p>x</p>\n--b1--\n'],
    ['alternative nested in mixed', MIXED, '--b1\nContent-Type: multipart/alternative; boundary=b2\n\n--b2\nContent-Type: text/plain\n\nplain\n--b2\nContent-Type: text/html\n\n<b>x</b>\n--b2--\n' + FOOTER],
    ['patch attachments appended', MIXED, '--b1\nContent-Type: text/plain\n\nintro\n--b1\nContent-Type: text/x-patch; name=a.patch; charset=iso-8859-1\nContent-Disposition: attachment; filename="0001-fix.patch"\nContent-Transfer-Encoding: base64\n\nLS0tIGEKKysrIGIK/wo=\n--b1\nContent-Type: text/plain\nContent-Disposition: attachment; filename=b.diff\n\n+x\n--b1\nContent-Type: application/gzip\nContent-Disposition: attachment; filename=a.gz\nContent-Transfer-Encoding: base64\n\nH4sI\n--b1--\n'],
    ['an unknown disposition is an attachment', MIXED, '--b1\nContent-Type: text/plain\nContent-Disposition: x-weird\n\nhidden\n--b1\nContent-Type: text/plain\n\nshown\n--b1--\n'],
    ['delimiters with blanks, a closing one without line end', MIXED, '--b1 \t\nContent-Type: text/plain\n\nA\r\n--b1--  '],
    ['an unclosed inner multipart closed by the outer delimiter', MIXED, '--b1\nContent-Type: multipart/mixed; boundary=b2\n\n--b2\nContent-Type: text/plain\n\ninner\n--b1\nContent-Type: text/plain\n\nouter\n--b1--\n'],
    ['a body ending without line end or delimiter', MIXED, '--b1\nContent-Type: text/plain\n\nlast line'],
    ['a delimiter of a sibling is text', MIXED, '--b1\nContent-Type: text/plain\n\n--b2\n--b1x\n-- b1\n--b1--x\n--b1--\n'],
    ['a line starting with CR before a delimiter', MIXED, '--b1\nContent-Type: text/plain\n\na\n\r--b1\nContent-Type: text/plain\n\nb\n--b1--\n'],
    ['folded part headers', MIXED, '--b1\nContent-Type: text/plain;\n\tcharset="iso-8859-1";\n  format=flowed\nContent-Transfer-Encoding:\n quoted-printable\n\nsoft =E9 \nline\n--b1--\n'],
    ['no delimiter at all', MIXED, 'just a preamble\n'],
    [
      'protected headers (memory hole)',
      'multipart/mixed; boundary="b1"; protected-headers="v1"',
      '--b1\nContent-Type: text/plain; protected-headers=v1; charset=us-ascii\nContent-Disposition: inline\nSubject: =?utf-8?q?hidden?=\nFrom: A <a@b.example>\nContent-Transfer-Encoding: quoted-printable\n\nbody =\ntext\n--b1--\n',
    ],
  ];
  it.each(cases)('%s: equals mailparser', async (_name, type, body) => {
    const mine = fast(type, body);
    expect(mine).not.toBeNull();
    expect(mine).toBe(await viaMailparser(type, body));
  });

  it.each([
    ['HTML outside an alternative', MIXED, '--b1\nContent-Type: text/html\n\n<p>x</p>\n--b1--\n'],
    ['an embedded message', MIXED, '--b1\nContent-Type: message/rfc822\n\nSubject: x\n\nbody\n--b1--\n'],
    ['multipart/related', 'multipart/related; boundary=b1', '--b1\nContent-Type: text/plain\n\nx\n--b1--\n'],
    ['a part without the blank line', MIXED, '--b1\nContent-Type: text/plain\n--b1--\n'],
    ['a closing delimiter in the preamble', MIXED, '--b1--\n--b1\nContent-Type: text/plain\n\nx\n'],
    ['an unknown charset', MIXED, '--b1\nContent-Type: text/plain; charset=koi8-r\n\nx\n--b1--\n'],
    ['non-ASCII part headers', MIXED, '--b1\nContent-Type: text/plain; name="\u00e9"\n\nx\n--b1--\n'],
    ['a guessed type', MIXED, '--b1\nContent-Disposition: attachment; filename=a.patch\n\nx\n--b1--\n'],
    ['a named octet-stream', MIXED, '--b1\nContent-Type: application/octet-stream; name=a.patch\n\nx\n--b1--\n'],
    ['no boundary', 'multipart/mixed', 'x\n'],
    ['an encoded-word parameter', MIXED, '--b1\nContent-Type: text/plain; name="=?utf-8?q?a?="\n\nx\n--b1--\n'],
  ])('declines %s', (_name, type, body) => {
    expect(fast(type, body)).toBeNull();
  });

  it('agrees with mailparser on generated multiparts', async () => {
    const eol = fc.constantFrom('\n', '\r\n');
    const line = fc.constantFrom('text', 'caf=C3=A9', 'soft ', '> quoted ', '-- ', '', ' ', '--b1', '--b2', '--b1--', '+added', 'x=\t', '\r');
    const lines = fc.array(fc.tuple(line, eol).map(([l, e]) => l + e), { maxLength: 4 }).map((ls) => ls.join(''));
    const leafHead = fc.constantFrom(
      'Content-Type: text/plain',
      'Content-Type: text/plain; charset=utf-8; format=flowed',
      'Content-Type: text/plain; charset="iso-8859-1"\nContent-Transfer-Encoding: quoted-printable',
      'Content-Type: text/plain; format=flowed; delsp=yes\nContent-Transfer-Encoding: quoted-printable',
      'Content-Type: text/x-patch\nContent-Disposition: attachment; filename=a.patch',
      'Content-Type: application/pgp-signature; name=signature.asc',
      'Content-Type: text/plain\nContent-Disposition: attachment',
      'Content-Type: text/html; charset=utf-8',
      '',
    );
    type Node = { kind: 'leaf'; head: string; body: string } | { kind: 'multi'; sub: string; children: Node[]; closed: boolean; epilogue: string };
    const leaf = fc.record({ kind: fc.constant('leaf' as const), head: leafHead, body: lines });
    const inner = fc.record({
      kind: fc.constant('multi' as const),
      sub: fc.constantFrom('mixed', 'alternative', 'signed'),
      children: fc.array(leaf, { minLength: 1, maxLength: 3 }),
      closed: fc.boolean(),
      epilogue: lines,
    });
    const render = (node: Node, boundary: string, e: string): string => {
      if (node.kind === 'leaf') return `${node.head ? node.head.replace(/\n/g, e) + e : ''}${e}${node.body}`;
      const parts = node.children.map((c) => `--${boundary}${e}${render(c, `${boundary}x`, e)}${e}`).join('');
      return `Content-Type: multipart/${node.sub}; boundary="${boundary}"${e}${e}${parts}${node.closed ? `--${boundary}--${e}` : ''}${node.epilogue}`;
    };
    const message = fc.record({
      sub: fc.constantFrom('mixed', 'alternative', 'signed'),
      preamble: lines,
      children: fc.array(fc.oneof(leaf, inner), { minLength: 1, maxLength: 3 }),
      closed: fc.boolean(),
      epilogue: lines,
      eol,
    });
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const e = m.eol;
        const body = `${m.preamble}${m.children.map((c) => `--b1${e}${render(c, 'b2', e)}${e}`).join('')}${m.closed ? `--b1--${e}` : ''}${m.epilogue}`;
        const type = `multipart/${m.sub}; boundary=b1`;
        const mine = fast(type, body);
        if (mine === null) return;
        taken++;
        expect(mine).toBe(await viaMailparser(type, body));
      }),
      { numRuns: 500 },
    );
    expect(taken).toBeGreaterThan(100);
  });
});
