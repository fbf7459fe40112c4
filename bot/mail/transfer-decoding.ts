// Content-Transfer-Encoding decoders with the results of mailparser's stream decoders (libqp and
// libbase64), which see the whole body however it is chunked, so the fast path needs no streams.
import { base64Bytes } from './encoded-words.ts';
import { unescapeHex } from './hex-escapes.ts';

const NOT_BASE64 = /[^a-zA-Z0-9+/=]/g;

/** A base64 body: every byte outside the base64 alphabet skipped, padded segments decoded in turn. */
export function decodeBase64Body(body: Buffer): Buffer {
  return base64Bytes(body.toString('latin1').replace(NOT_BASE64, ''));
}

const TRAILING_BLANKS = /(^|[^ \t])[ \t]+(?=[\n\r\u2028\u2029]|$)/g;
const SOFT_BREAK = /[=](?:\r?\n|$)/g;

/** A quoted-printable body: blanks before line ends dropped, soft breaks joined, then "=XX" bytes. */
export function decodeQuotedPrintable(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(TRAILING_BLANKS, '$1').replace(SOFT_BREAK, '');
  return unescapeHex(Buffer.from(text, 'latin1'));
}
