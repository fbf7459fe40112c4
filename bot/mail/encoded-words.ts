// RFC 2047 encoded words ("=?utf-8?B?...?="), decoded step for step as mailparser's libmime does it
// (joining adjacent words of one charset first, so a character split across two words survives),
// for the charsets of charsets.ts. Any other charset answers null and the caller asks mailparser.
import { charsetFamily, decodeFamily, type CharsetFamily } from './charsets.ts';
import { unescapeHex } from './hex-escapes.ts';

class UnknownCharset extends Error {}

const MARK = '__\x00JOIN\x00__';
const B_PAIR = /(=\?([^?]+)\?[Bb]\?[^?]*\?=)\s*(?==\?([^?]+)\?[Bb]\?[^?]*\?=)/g;
const Q_PAIR = /(=\?([^?]+)\?[Qq]\?[^?]*\?=)\s*(?==\?([^?]+)\?[Qq]\?[^?]*\?=)/g;
const JOINT = /(\?=)?__\x00JOIN\x00__(=\?([^?]+)\?[QqBb]\?)?/g;
const GAP = /(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g;
const WORD = /=\?([\w_\-*]+)\?([QqBb])\?([^?]*)\?=/g;

function familyOf(charset: string): CharsetFamily {
  const family = charsetFamily(charset);
  if (family === null) throw new UnknownCharset(charset);
  return family;
}

function markPair(match: string, left: string, chLeft: string, chRight: string): string {
  return familyOf(chLeft) === familyOf(chRight) ? left + MARK : match;
}

/** The text with its encoded words decoded, or null when one names a charset not handled here. */
export function decodeWords(text: string): string | null {
  // No "=?" and no joint marker: nothing for any step to match.
  if (!text.includes('=?') && !text.includes('\x00')) return text;
  try {
    const first = text.indexOf('=?');
    // One word alone: the joining steps need two.
    if (!text.includes('\x00') && text.indexOf('=?', first + 2) < 0) return text.replace(WORD, decodeMatch);
    return text
      .replace(B_PAIR, markPair)
      .replace(Q_PAIR, markPair)
      .replace(JOINT, '')
      .replace(GAP, '$1')
      .replace(WORD, decodeMatch);
  } catch (err) {
    if (err instanceof UnknownCharset) return null;
    throw err;
  }
}

function decodeMatch(_match: string, charset: string, encoding: string, payload: string): string {
  return decodeWord(charset, encoding, payload);
}

function decodeWord(charset: string, encoding: string, payload: string): string {
  const star = charset.indexOf('*'); // RFC 2231 language tag, ignored
  const family = familyOf(star >= 0 ? charset.slice(0, star) : charset);
  const bytes = encoding.toUpperCase() === 'Q' ? qBytes(payload) : base64Bytes(payload);
  return decodeFamily(bytes, family);
}

const HEX_AFTER_SPACE = /=\s+([0-9a-fA-F])/g;
const UNDERSCORE_OR_SPACE = /[_\s]/g;

/** Q encoding: "_" and whitespace are spaces, "=XX" a byte, anything else its UTF-8 bytes. */
function qBytes(payload: string): Buffer {
  return unescapeHex(Buffer.from(payload.replace(HEX_AFTER_SPACE, '=$1').replace(UNDERSCORE_OR_SPACE, ' '), 'utf8'));
}

const NOT_LATIN1 = /[^\u0000-\u00ff]+/g;
const BASE64_AFTER_PAD = /[a-zA-Z0-9+/\-_]/;

/**
 * Base64 as libbase64 reads it: characters above U+00FF dropped, and input holding data after a
 * "=" decoded segment by segment (Buffer alone stops at the first padding).
 */
export function base64Bytes(payload: string): Buffer {
  const text = payload.replace(NOT_LATIN1, '');
  const pad = text.indexOf('=');
  if (pad < 0 || !BASE64_AFTER_PAD.test(text.slice(pad))) return Buffer.from(text, 'base64');
  const out = Buffer.alloc(Math.floor((text.length * 3) / 4));
  let length = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('=', start);
    if (end < 0) end = text.length;
    if (end > start) length += out.write(text.substring(start, end), length, 'base64');
    start = end + 1;
  }
  return out.subarray(0, length);
}
