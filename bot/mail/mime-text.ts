// The second fast path, for single-part text/plain that plain-body.ts leaves to mailparser:
// quoted-printable, format=flowed, and the Latin-1 charsets (text-body.ts decodes as mailparser
// does). Content-Type is read only in its plain form (content-type.ts); anything else, a
// Content-Disposition other than a bare "inline", or an unknown charset answers null and
// mailparser decodes the body.
import { parseStructured, transferToken } from './content-type.ts';
import { MAILPARSER_FIELDS } from './header-names.ts';
import { decodeText, knownCharset } from './text-body.ts';

/** Past this, the fields mailparser is handed (MAILPARSER_FIELDS) could hit its header size limit. */
const MAX_HEAD_CHARS = 200_000;
const INLINE = /^inline$/i;
/** Any other parameter may matter to mailparser (a boundary splits even a text/plain body). */
const TEXT_PARAMS = new Set(['charset', 'format', 'delsp']);

/** True when the header fields handed to mailparser stay far from its header size limit. */
export function smallMimeHead(fields: ReadonlyMap<string, string>): boolean {
  let chars = 0;
  for (const key of MAILPARSER_FIELDS) chars += fields.get(key)?.length ?? 0;
  return chars <= MAX_HEAD_CHARS;
}

/** The body text mailparser would give, or null when the message needs mailparser. */
export function mimeText(fields: ReadonlyMap<string, string>, body: Buffer): string | null {
  // "inline" is what mailparser assumes for text/plain without one.
  const disposition = fields.get('content-disposition');
  if (disposition !== undefined && !INLINE.test(disposition)) return null;
  if (!smallMimeHead(fields)) return null;
  const type = fields.get('content-type');
  const parsed = type === undefined ? { value: 'text/plain', params: new Map<string, string>() } : parseStructured(type, TEXT_PARAMS);
  if (parsed === null || parsed.value !== 'text/plain') return null;
  const encoding = transferToken(fields.get('content-transfer-encoding'));
  const charset = parsed.params.get('charset');
  if (encoding === null || !knownCharset(charset)) return null;
  const flowed = parsed.params.get('format')?.toLowerCase().trim() === 'flowed';
  const delSp = parsed.params.get('delsp')?.toLowerCase().trim() === 'yes';
  return decodeText(body, { encoding, charset, flowed, delSp });
}
