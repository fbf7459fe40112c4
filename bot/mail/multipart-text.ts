// The third fast path: multipart/mixed, signed and alternative mail whose parts are plain text,
// text/html alternatives, patches and binary attachments (signatures, archives), as list
// footers, PGP and mail clients produce it. The text is built by mailparser's rules: inline
// text/plain parts joined with "\n" in document order (HTML alternatives of them ignored), then
// every patch attachment appended as parse-message.ts appends it. HTML that mailparser would
// convert to text, embedded messages and every part mime-parts.ts declines leave the whole
// message to mailparser.
import { makePart, splitParts, type Part } from './mime-parts.ts';
import { smallMimeHead } from './mime-text.ts';
import { decodeText, knownCharset, transferDecode } from './text-body.ts';

/** The types mailparser reads as text when inline (message/delivery-status is declined). */
const TEXT_TYPES = new Set(['text/plain', 'text/html']);

/** mailparser's text of a multipart message plus its patch attachments, or null. */
export function multipartText(fields: ReadonlyMap<string, string>, body: Buffer): string | null {
  const type = fields.get('content-type');
  if (type === undefined || !type.toLowerCase().startsWith('multipart/') || !smallMimeHead(fields)) return null;
  const root = makePart(type, fields.get('content-transfer-encoding'), fields.get('content-disposition'), null);
  if (root === null || root.boundary === null || !splitParts(root, body)) return null;
  const texts: string[] = [];
  const patches: string[] = [];
  if (!collect(root, false, body, texts, patches)) return null;
  let text = texts.join('\n');
  for (const patch of patches) {
    if (text.length > 0 && !text.endsWith('\n')) text += '\n';
    text += patch;
  }
  return text;
}

/** Walks the tree in document order; false when a part needs mailparser. */
function collect(part: Part, alternative: boolean, body: Buffer, texts: string[], patches: string[]): boolean {
  if (part.boundary !== null) {
    const inAlternative = alternative || part.type === 'multipart/alternative';
    return part.children.every((child) => collect(child, inAlternative, body, texts, patches));
  }
  const bytes = body.subarray(part.start, part.end);
  // mailparser: an unknown disposition is "attachment"; a non-text type is always an attachment.
  const disposition = part.disposition === '' ? 'inline' : part.disposition === 'inline' || part.disposition === 'attachment' ? part.disposition : 'attachment';
  if (!TEXT_TYPES.has(part.type) || disposition !== 'inline') return attachment(part, bytes, patches);
  if (part.type === 'text/html') return alternative; // converted to text outside an alternative
  const charset = part.params.get('charset');
  if (!knownCharset(charset)) return false;
  const flowed = part.params.get('format')?.toLowerCase().trim() === 'flowed';
  const delSp = flowed && part.params.get('delsp')?.toLowerCase().trim() === 'yes';
  const text = decodeText(bytes, { encoding: part.encoding, charset, flowed, delSp });
  if (text !== '') texts.push(text);
  return true;
}

/** A patch attachment goes to `patches` (decoded as parse-message.ts decodes one); others are skipped. */
function attachment(part: Part, bytes: Buffer, patches: string[]): boolean {
  // mailparser renames application/octet-stream after its file name: not followed here.
  if (part.type === 'application/octet-stream' && part.filename !== '') return false;
  if (!isPatch(part.type, part.filename.toLowerCase())) return true;
  const content = transferDecode(bytes, part.encoding);
  const charset = part.params.get('charset') ?? 'utf-8';
  try {
    patches.push(new TextDecoder(charset).decode(content));
  } catch {
    patches.push(new TextDecoder('utf-8').decode(content));
  }
  return true;
}

function isPatch(type: string, name: string): boolean {
  if (type === 'text/x-patch' || type === 'text/x-diff' || type === 'text/x-log') return true;
  const named = name.endsWith('.patch') || name.endsWith('.diff');
  return named && (type.startsWith('text/') || type === 'application/octet-stream');
}
