// Content-Transfer-Encoding decoders with the results of mailparser's stream decoders (libqp and
// libbase64), which see the whole body however it is chunked, so the fast path needs no streams.
import { base64Bytes } from './encoded-words.ts';

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
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3d && i < len - 2) {
      const hi = hexDigit(text.charCodeAt(i + 1));
      const lo = hexDigit(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = code;
  }
  return out.subarray(0, n);
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}
