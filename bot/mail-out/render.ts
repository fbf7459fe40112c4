// OutgoingMail -> RFC 5322 bytes, synchronously (formatters are pure functions). nodemailer's MIME
// helpers do the encoding: encoded words for non-ASCII names and subjects, header folding at 76
// columns, quoted-printable for a body that is not short-lined ASCII. Every value is cleared of
// line breaks first, so nothing in a subject or a name can add a header. Line ends are CRLF.
import { encodeWords, foldLines, isPlainText } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { Address } from '../model.ts';
import { botHeaders, headerText } from './headers.ts';
import type { OutgoingMail } from './types.ts';

/** A display name as a header wants it: as is, quoted when it has specials, encoded when not ASCII. */
export function encodeName(name: string): string {
  const n = headerText(name, 200);
  if (!isPlainText(n)) return encodeWords(n, 'Q', 52);
  return /[()<>[\]:;@\\,."]/.test(n) ? `"${n.replace(/(["\\])/g, '\\$1')}"` : n;
}

export function encodeAddress(a: Address): string {
  const address = headerText(a.address, 254).replace(/[\s<>,;"]/g, '');
  return a.name.trim() ? `${encodeName(a.name)} <${address}>` : address;
}

/** "Name: value" folded at 76 columns with CRLF + space. */
export function headerLine(name: string, value: string): string {
  return foldLines(`${name}: ${value}`, 76).replace(/\r?\n/g, '\r\n').trimEnd();
}

function rfc2822Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

const bracket = (id: string): string => `<${headerText(id, 250).replace(/[\s<>]/g, '')}>`;

/** The body and its transfer encoding: 7bit for short-lined ASCII, quoted-printable otherwise. */
function encodeBody(text: string): { encoding: string; body: string } {
  const lf = text.replace(/\r\n?/g, '\n');
  const longLine = lf.split('\n').some((l) => l.length > 998);
  if (isPlainText(lf.replace(/[\t\n]/g, ' ')) && !longLine) return { encoding: '7bit', body: lf };
  return { encoding: 'quoted-printable', body: qpWrap(qpEncode(lf), 76) };
}

export function renderMail(mail: OutgoingMail, version: string): Buffer {
  const subject = headerText(mail.subject);
  const { encoding, body } = encodeBody(mail.text);
  const lines = [
    headerLine('From', encodeAddress(mail.from)),
    ...(mail.to.length > 0 ? [headerLine('To', mail.to.map(encodeAddress).join(', '))] : []),
    ...(mail.cc.length > 0 ? [headerLine('Cc', mail.cc.map(encodeAddress).join(', '))] : []),
    headerLine('Subject', isPlainText(subject) ? subject : encodeWords(subject, 'Q', 52)),
    headerLine('Date', rfc2822Date(mail.date)),
    headerLine('Message-ID', bracket(mail.messageId)),
    headerLine('In-Reply-To', bracket(mail.inReplyTo)),
    ...(mail.references.length > 0 ? [headerLine('References', mail.references.map(bracket).join(' '))] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${encoding}`,
    ...Object.entries(botHeaders(headerText(version, 40))).map(([k, v]) => headerLine(k, v)),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`, 'utf8');
}

/** The envelope: who the server delivers to (To and Cc; there is never a Bcc). */
export function envelopeOf(mail: OutgoingMail): { from: string; to: string[] } {
  return { from: mail.from.address, to: [...mail.to, ...mail.cc].map((a) => a.address) };
}

/** asctime() form of a date for the mbox "From " line, e.g. "Thu Jan  1 00:00:00 2026", in UTC. */
function asctime(d: Date): string {
  const parts = d.toUTCString().split(' '); // "Thu, 01 Jan 2026 00:00:00 GMT"
  return `${(parts[0] ?? 'Thu').slice(0, 3)} ${parts[2] ?? 'Jan'} ${String(d.getUTCDate()).padStart(2, ' ')} ${parts[4] ?? '00:00:00'} ${d.getUTCFullYear()}`;
}

/** One message in mboxrd form: a "From " line, LF line ends, every /^>*From / line quoted once more. */
export function mboxrdEntry(raw: Buffer, sender: string, date: Date): string {
  const text = raw.toString('utf8').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  const from = headerText(sender, 254).replace(/\s/g, '') || 'MAILER-DAEMON';
  return `From ${from} ${asctime(date)}\n${text.endsWith('\n') ? text : `${text}\n`}\n`;
}
