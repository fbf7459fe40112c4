// RawMessage -> Message. MIME (transfer encodings, charsets, multipart, encoded words, HTML-only
// mail) is decoded by mailparser. Its header pass is most of its cost on kernel mail (long To/Cc,
// tens of trace headers), so it is handed only the fields that shape the body and the subject; the
// threading ids and the date are read here from the unfolded header lines, the addresses through
// address-list.ts (mailparser's parseAddressHeader for uncommon shapes; To/Cc/Reply-To on first
// use). Plain text, single-part or in simple multiparts, skips mailparser's body pass
// (plain-body.ts, mime-text.ts, multipart-text.ts) and its subject is read by subject-words.ts;
// each gives mailparser's result or declines.
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { InputError, oneLine } from '../errors.ts';
import type { Address, Message, RawMessage } from '../model.ts';
import { addresses } from './addresses.ts';
import { readHeaderBlock, startsWithHeaderField } from './header-block.ts';
import { KEPT_HEADERS, MAILPARSER_FIELDS } from './header-names.ts';
import { LIST_FIELDS, withUnreadLists, type UnreadLists } from './lazy-addresses.ts';
import { firstMessageId, messageIds, synthesizeId } from './message-id.ts';
import { mimeText } from './mime-text.ts';
import { multipartText } from './multipart-text.ts';
import { plainBody } from './plain-body.ts';
import { parseSubject } from './subject.ts';
import { mailparserSubject } from './subject-words.ts';

export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** HTML larger than this is not converted to text (html-to-text is slow on huge documents). */
const MAX_HTML_CHARS = 4 * 1024 * 1024;

export interface ParseOptions {
  maxBytes?: number;
}

const PARSER_OPTIONS = { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, maxHtmlLengthToParse: MAX_HTML_CHARS };
const NO_ADDRESS: Address = { name: '', address: '' };

export async function parseMessage(raw: RawMessage, opts: ParseOptions = {}): Promise<Message> {
  const input = `${raw.source}${raw.locator}`;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const size = Math.max(raw.originalSize ?? 0, raw.data.length);
  if (size > maxBytes) {
    throw new InputError(input, `message is ${size} bytes, over the limit of ${maxBytes}`);
  }
  const start = skipFromLine(raw.data);
  if (!startsWithHeaderField(raw.data, start)) return bareMessage(raw, start, size);

  const { fields, bodyStart } = readHeaderBlock(raw.data, start, KEPT_HEADERS);
  const rawSubject = fields.get('subject') ?? '';
  const bodyBytes = raw.data.subarray(bodyStart);
  let body = plainBody(fields, bodyBytes);
  let subjectText = rawSubject;
  try {
    if (body === null && (body = mimeText(fields, bodyBytes) ?? multipartText(fields, bodyBytes)) !== null) {
      // mailparser would have read the subject too, trimming it even without encoded words.
      subjectText = mailparserSubject(rawSubject) ?? (await subjectOnly(rawSubject));
    } else if (body === null) {
      const parsed = await simpleParser(mimeOnly(fields, bodyBytes), PARSER_OPTIONS);
      body = bodyText(parsed);
      subjectText = parsed.subject ?? rawSubject;
    } else if (rawSubject.includes('=?')) {
      subjectText = mailparserSubject(rawSubject) ?? (await subjectOnly(rawSubject));
    }
  } catch (err) {
    throw new InputError(input, `broken MIME structure: ${oneLine(err)}`);
  }

  // Header values are the unfolded raw text, except the subject, which is decoded.
  fields.set('subject', subjectText);
  const msg: Message = {
    id: firstMessageId(fields.get('message-id')) ?? synthesizeId(raw.data),
    inReplyTo: firstMessageId(fields.get('in-reply-to')),
    references: messageIds(fields.get('references')),
    from: addresses(fields.get('from'))[0] ?? NO_ADDRESS,
    to: [],
    cc: [],
    replyTo: [],
    date: parseDate(fields.get('date')),
    subject: parseSubject(subjectText),
    body: normaliseNewlines(body),
    headers: fields,
    size,
    source: raw.source,
    locator: raw.locator,
  };
  // Most runs never read To/Cc/Reply-To: they are parsed on first read.
  const unread: UnreadLists = {};
  for (const [key, header] of LIST_FIELDS) {
    const value = fields.get(header);
    if (value) unread[key] = value;
  }
  return withUnreadLists(msg, unread);
}

/** mailparser's decoding of a Subject value alone. */
async function subjectOnly(rawSubject: string): Promise<string> {
  return (await simpleParser(mimeOnly(new Map([['subject', rawSubject]]), Buffer.alloc(0)), PARSER_OPTIONS)).subject ?? rawSubject;
}

/** An unparseable or missing date is the epoch: ordering still works and nothing throws. */
function parseDate(value: string | undefined): Date {
  // A date is short; a long value is hostile, and only its head is read.
  const t = value ? Date.parse(value.slice(0, 200).replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
  return new Date(Number.isFinite(t) ? t : 0);
}

function mimeOnly(fields: ReadonlyMap<string, string>, body: Buffer): Buffer {
  let head = '';
  // Only the fields that shape the body and the subject; everything else stays with us.
  for (const key of MAILPARSER_FIELDS) {
    const value = fields.get(key);
    if (value !== undefined) head += `${key}: ${value}\r\n`;
  }
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'utf8'), body]);
}

/** The plain text (or HTML converted by mailparser), then every attached patch. */
function bodyText(parsed: ParsedMail): string {
  let text = parsed.text ?? '';
  for (const att of parsed.attachments) {
    if (!isPatchAttachment(att)) continue;
    const attached = decodeText(att);
    if (text.length > 0 && !text.endsWith('\n')) text += '\n';
    text += attached;
  }
  return text;
}

function isPatchAttachment(att: Attachment): boolean {
  const type = att.contentType.toLowerCase();
  const name = (att.filename ?? '').toLowerCase();
  if (type === 'text/x-patch' || type === 'text/x-diff' || type === 'text/x-log') return true;
  const named = name.endsWith('.patch') || name.endsWith('.diff');
  return named && (type.startsWith('text/') || type === 'application/octet-stream');
}

function decodeText(att: Attachment): string {
  const ct = att.headers.get('content-type') as { params?: Record<string, unknown> } | undefined;
  const param = ct?.params?.charset;
  const charset = typeof param === 'string' ? param : 'utf-8';
  try {
    return new TextDecoder(charset).decode(att.content);
  } catch {
    return new TextDecoder('utf-8').decode(att.content);
  }
}

function normaliseNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}

/** Offset after a leading mbox "From " line (git format-patch files start with one). */
function skipFromLine(data: Buffer): number {
  if (data.length < 5 || data.toString('latin1', 0, 5) !== 'From ') return 0;
  const nl = data.indexOf(10);
  return nl < 0 ? data.length : nl + 1;
}

/** A bare diff (or any text without mail headers): one patch, no author, id from its bytes. */
function bareMessage(raw: RawMessage, start: number, size: number): Message {
  const body = normaliseNewlines(new TextDecoder('utf-8').decode(raw.data.subarray(start)));
  const path = /^\+\+\+ (?:b\/)?(\S{1,200})/m.exec(body)?.[1] ?? /^diff --git a\/(\S{1,200})/m.exec(body)?.[1];
  const subjectText = `[PATCH] ${path ?? 'diff'}`;
  return {
    id: synthesizeId(raw.data),
    references: [],
    from: NO_ADDRESS,
    to: [],
    cc: [],
    replyTo: [],
    date: new Date(0),
    subject: parseSubject(subjectText),
    body,
    headers: new Map([['subject', subjectText]]),
    size,
    source: raw.source,
    locator: raw.locator,
  };
}
