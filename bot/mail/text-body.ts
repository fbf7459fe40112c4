// A text part's body as mailparser turns it into text: transfer decoding (qp/base64, anything else
// as is), format=flowed unwrapping, the charset, then CRLF to LF. mailparser unwraps before the
// charset; here that order is kept only where it can matter (see flowed.ts). Only the charsets of
// charsets.ts are decoded (knownCharset); for others the caller leaves the message to mailparser.
import { charsetFamily, decodeFamily, type CharsetFamily } from './charsets.ts';
import { decodeFlowed } from './flowed.ts';
import { decodeBase64Body, decodeQuotedPrintable } from './transfer-decoding.ts';

export interface TextPart {
  /** Lower-cased Content-Transfer-Encoding token, '' when there is none. */
  encoding: string;
  /** The charset parameter as written, undefined when missing. */
  charset?: string | undefined;
  flowed: boolean;
  delSp: boolean;
}

/** Charsets mailparser reads as UTF-8 itself (lower-cased, punctuation dropped). */
const UTF8_NAMES = new Set(['ascii', 'usascii', 'utf8']);

/** The transfer-decoded bytes of a part (mailparser decodes only these two encodings). */
export function transferDecode(body: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return decodeBase64Body(body);
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** Whether decodeText can read this charset (an empty or missing one is UTF-8). */
export function knownCharset(charset: string | undefined): boolean {
  const name = charset || 'utf-8';
  const family = charsetFamily(name);
  return UTF8_NAMES.has(name.toLowerCase().replace(/[^a-z0-9]+/g, '')) || (family !== null && family !== 'utf8');
}

/** The part's text; the charset must pass knownCharset. */
export function decodeText(body: Buffer, part: TextPart): string {
  let bytes = transferDecode(body, part.encoding);
  const utf8 = UTF8_NAMES.has((part.charset || 'utf-8').toLowerCase().replace(/[^a-z0-9]+/g, ''));
  // Unwrapping before the charset only matters where delsp joins bytes of one UTF-8 character.
  if (part.flowed && part.delSp && utf8) bytes = Buffer.from(decodeFlowed(bytes.toString('latin1'), true), 'latin1');
  // The single-byte families map bytes one to one, so unwrapping after decoding is the same.
  let text = utf8 ? bytes.toString('utf8') : decodeFamily(bytes, charsetFamily(part.charset as string) as CharsetFamily);
  if (part.flowed && !(part.delSp && utf8)) text = decodeFlowed(text, part.delSp);
  return text.includes('\r') ? text.replace(/\r?\n/g, '\n') : text;
}
