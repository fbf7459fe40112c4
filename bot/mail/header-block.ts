// The header section of a message: where it ends, and the first occurrence of each field,
// unfolded. RFC 5322 syntax only (no MIME decoding: encoded words and bodies are mailparser's).
// Repeated fields (Received, DKIM-Signature, ...) and fields the caller does not want are skipped
// without building their values: a third of a list archive's bytes are such trace headers.

export interface HeaderBlock {
  /** Lower-cased field name -> unfolded, trimmed value of its first occurrence (bytes read as UTF-8); wanted ones only. */
  fields: Map<string, string>;
  /** Offset of the first body byte (after the empty line), or data.length when there is no body. */
  bodyStart: number;
}

const FIELD_NAME = /[!-9;-~]{1,128}[ \t]*:/y;

/** Offset just after the empty line that ends the header section, CRLF or LF; data.length when none. */
function findBodyStart(data: Buffer, from = 0): number {
  if (data[from] === 10) return from + 1;
  if (data[from] === 13 && data[from + 1] === 10) return from + 2;
  let i = from;
  for (;;) {
    const nl = data.indexOf(10, i);
    if (nl < 0) return data.length;
    const next = data[nl + 1];
    if (next === 10) return nl + 2;
    if (next === 13 && data[nl + 2] === 10) return nl + 3;
    i = nl + 1;
  }
}

/**
 * Reads the header section starting at `from`; lines that are no header field are ignored. With
 * `wanted` (lower-cased names), only those fields are kept.
 */
export function readHeaderBlock(data: Buffer, from = 0, wanted?: ReadonlySet<string>): HeaderBlock {
  const bodyStart = findBodyStart(data, from);
  const text = data.toString('utf8', from, bodyStart);
  const fields = new Map<string, string>();
  // No closure over key/value: V8 would keep them in a heap context, slowing every line.
  let key: string | null = null;
  let value = '';
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9) {
      if (key !== null) value += ' ' + text.slice(pos, lineEnd).trim();
    } else {
      if (key !== null) fields.set(key, value.trim());
      key = null;
      if (lineEnd === pos) break;
      const colon = fieldColon(text, pos, lineEnd);
      if (colon >= 0) {
        const name = lowerName(text.slice(pos, colon).trimEnd());
        if (!fields.has(name) && (wanted === undefined || wanted.has(name))) {
          key = name;
          value = text.slice(colon + 1, lineEnd);
        }
      }
    }
    pos = end + 1;
  }
  if (key !== null) fields.set(key, value.trim());
  return { fields, bodyStart };
}

/** Offset of the ":" ending a field name at `pos` (what FIELD_NAME matches, without a regex run per line), or -1. */
function fieldColon(text: string, pos: number, end: number): number {
  const limit = Math.min(end, pos + 128);
  let i = pos;
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x3a) break;
  }
  if (i === pos) return -1;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i < end && text.charCodeAt(i) === 0x3a ? i : -1;
}

/** Field names repeat across messages: their lower-case forms are kept (a bounded set). */
const LOWER = new Map<string, string>();
const MAX_NAMES = 4096;

function lowerName(name: string): string {
  let lower = LOWER.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    // Copies in the cache: a slice of the header text would keep all of it alive.
    if (LOWER.size < MAX_NAMES) LOWER.set(copy(name), (lower = copy(lower)));
  }
  return lower;
}

function copy(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** True when the bytes start like a mail header section (a "Name: value" field first). */
export function startsWithHeaderField(data: Buffer, from = 0): boolean {
  const nl = data.indexOf(10, from);
  const end = Math.min(data.length, from + 200, nl < 0 ? data.length : nl);
  FIELD_NAME.lastIndex = 0;
  return FIELD_NAME.test(data.toString('latin1', from, end));
}
