// The fast path for the common case: a single-part text/plain body in 7bit, 8bit or base64, in
// UTF-8 or US-ASCII (about 80% of a list archive). Transfer and charset decoding are the
// platform's own (Buffer base64, TextDecoder), and give mailparser's result; everything else
// (multipart, quoted-printable, format=flowed, other charsets) goes to mailparser.

import { TextDecoder } from 'node:util';

const utf8 = new TextDecoder('utf-8');
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** The decoded body, or null when the message needs the full MIME parser. */
export function plainBody(fields: ReadonlyMap<string, string>, body: Buffer): string | null {
  const type = fields.get('content-type');
  let charset = 'utf-8';
  if (type !== undefined) {
    const params = type.toLowerCase().split(';');
    if ((params[0] ?? '').trim() !== 'text/plain') return null;
    for (let i = 1; i < params.length; i++) {
      const [name, raw] = (params[i] ?? '').split('=', 2).map((s) => s.trim());
      const val = (raw ?? '').replace(/^"|"$/g, '');
      if (name === 'format' && val === 'flowed') return null;
      if (name === 'charset' && val) charset = val;
      if (name?.endsWith('*')) return null; // RFC 2231 parameters: mailparser's job
    }
  }
  const encoding = (fields.get('content-transfer-encoding') ?? '7bit').toLowerCase().trim();
  let bytes: Buffer;
  if (encoding === '7bit' || encoding === '8bit' || encoding === 'binary') bytes = body;
  else if (encoding === 'base64') bytes = Buffer.from(body.toString('latin1'), 'base64');
  else return null;
  const decoder = decoderFor(charset);
  return decoder ? decoder.decode(bytes) : null;
}

function decoderFor(charset: string): TextDecoder | null {
  // Only UTF-8 here: Node's TextDecoder reads windows-1252 as latin1, so other charsets go to
  // mailparser (iconv-lite). Mail labelled us-ascii routinely carries UTF-8 (git send-email);
  // mailparser reads it so too.
  return UTF8_LABELS.has(charset) ? utf8 : null;
}
