// Structured MIME header values (Content-Type, Content-Disposition) in their plain form only:
// "value; name=token; name="quoted"" in printable ASCII, the way mailparser's parser (libmime's
// parseHeaderValue) reads them: value and names lower-cased here (mailparser lower-cases both
// where it uses them), the first of a repeated parameter kept. Comments, escapes, RFC 2231 or
// encoded-word parameters and parameters outside the caller's list answer null: the fast paths
// then leave the message to mailparser.

export interface StructuredValue {
  /** The value before the first ";", lower-cased ("text/plain", "attachment"). */
  value: string;
  params: Map<string, string>;
}

const VALUE_START = /[A-Za-z0-9!#$%&'*+.^_`{|}~/-]+/y;
const BLANKS = /[ \t]*/y;
const NAME = /[A-Za-z0-9-]+/y;
const PARAM_VALUE = /(?:[A-Za-z0-9!#$%&'+.^_`{|}~-]+|"[ !#-[\]-~]*")/y;

/** The plain reading of `text`, or null; parameters must be named in `allowed` (lower case). */
export function parseStructured(text: string, allowed: ReadonlySet<string>): StructuredValue | null {
  VALUE_START.lastIndex = 0;
  if (!VALUE_START.test(text)) return null;
  const value = text.slice(0, VALUE_START.lastIndex).toLowerCase();
  const params = new Map<string, string>();
  let pos = skipBlanks(text, VALUE_START.lastIndex);
  if (pos < text.length && text.charCodeAt(pos) !== 0x3b /* ; */) return null;
  for (;;) {
    pos = skipBlanks(text, pos);
    if (pos >= text.length) return { value, params };
    if (text.charCodeAt(pos) === 0x3b) {
      pos++;
      continue;
    }
    NAME.lastIndex = pos;
    const name = NAME.exec(text)?.[0].toLowerCase();
    if (name === undefined || !allowed.has(name)) return null;
    pos = skipBlanks(text, NAME.lastIndex);
    if (text.charCodeAt(pos) !== 0x3d /* = */) return null;
    PARAM_VALUE.lastIndex = skipBlanks(text, pos + 1);
    const raw = PARAM_VALUE.exec(text)?.[0];
    // An encoded word in a parameter is decoded by mailparser: not a plain value.
    if (raw === undefined || raw.includes('=?')) return null;
    pos = skipBlanks(text, PARAM_VALUE.lastIndex);
    if (pos < text.length && text.charCodeAt(pos) !== 0x3b) return null;
    if (!params.has(name)) params.set(name, raw.charCodeAt(0) === 0x22 ? raw.slice(1, -1) : raw);
  }
}

function skipBlanks(text: string, pos: number): number {
  BLANKS.lastIndex = pos;
  BLANKS.test(text);
  return BLANKS.lastIndex;
}

const TRANSFER_TOKEN = /^[A-Za-z0-9-]+$/;

/** A Content-Transfer-Encoding as mailparser uses it (lower-cased), '' for none, null when not a plain token. */
export function transferToken(value: string | undefined): string | null {
  if (value === undefined) return '';
  return TRANSFER_TOKEN.test(value) ? value.toLowerCase() : null;
}
