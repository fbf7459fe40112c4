// The part tree of a multipart body, split by the rules of mailparser's splitter (mailsplit), for
// the plain cases only: a delimiter line is "--boundary" or "--boundary--" with optional blanks
// and line end, it may close any open ancestor, the line end before it belongs to it (with one
// quirk, see trimLineEnd), and every part starts with a header block. Anything unusual (a part
// without a blank line after its headers, non-ASCII or unusual part headers, a multipart without
// a boundary, a closing delimiter outside a part, very many parts) answers null or false, and
// mailparser reads the mail.
import { isAscii } from 'node:buffer';
import { parseStructured, transferToken, type StructuredValue } from './content-type.ts';

export interface Part {
  /** Lower-cased content type. */
  type: string;
  params: Map<string, string>;
  /** Lower-cased transfer encoding token, '' for none. */
  encoding: string;
  /** Lower-cased disposition, '' for none. */
  disposition: string;
  /** Disposition filename, else the type's name parameter, else ''. */
  filename: string;
  boundary: Buffer | null;
  parent: Part | null;
  children: Part[];
  /** Body bytes (leaves only): [start, end) in the message body. */
  start: number;
  end: number;
}

const MAX_PARTS = 200;
const MAX_PART_HEAD = 16 * 1024;
/** mailsplit holds an unterminated last line whole only up to 64 KiB. */
const MAX_LAST_LINE = 16 * 1024;
/** A delimiter line may carry this much after the boundary (mailsplit's BOUNDARY_LINE_SUFFIX). */
const DELIMITER_SLACK = 2 + 2 + 998 + 2;

const MULTIPART_PARAMS = new Set(['boundary', 'protocol', 'micalg', 'charset', 'protected-headers']);
const LEAF_PARAMS = new Set(['charset', 'format', 'delsp', 'name', 'protected-headers']);
const DISPOSITION_PARAMS = new Set(['filename', 'size', 'creation-date', 'modification-date', 'read-date']);
/** Multiparts whose parts mailparser reads plainly (related and digest have rules of their own). */
const MULTIPARTS = new Set(['multipart/mixed', 'multipart/signed', 'multipart/alternative']);

/** A part from its Content-Type/-Transfer-Encoding/-Disposition values, or null when not plain. */
export function makePart(type: string | undefined, encoding: string | undefined, disposition: string | undefined, parent: Part | null): Part | null {
  const cte = transferToken(encoding);
  if (cte === null) return null;
  const disp: StructuredValue | null = disposition === undefined ? { value: '', params: new Map() } : parseStructured(disposition, DISPOSITION_PARAMS);
  if (disp === null) return null;
  let ct: StructuredValue | null;
  if (type !== undefined) {
    ct = parseStructured(type, type.toLowerCase().startsWith('multipart/') ? MULTIPART_PARAMS : LEAF_PARAMS);
  } else {
    // mailsplit then guesses from a filename or an attachment disposition: left to it.
    if (disp.params.has('filename') || disp.value === 'attachment') return null;
    ct = { value: 'text/plain', params: new Map() };
  }
  if (ct === null) return null;
  let boundary: Buffer | null = null;
  if (ct.value.startsWith('multipart/')) {
    const b = (ct.params.get('boundary') ?? '').trimEnd();
    if (!MULTIPARTS.has(ct.value) || b === '') return null;
    boundary = Buffer.from(b, 'latin1');
  } else if (ct.value.startsWith('message/')) {
    return null;
  }
  return {
    type: ct.value,
    params: ct.params,
    encoding: cte,
    disposition: disp.value,
    filename: disp.params.get('filename') || ct.params.get('name') || '',
    boundary,
    parent,
    children: [],
    start: 0,
    end: 0,
  };
}

interface Delimiter {
  /** 1: first part, 3: next part of `owner`, 4: `owner` closes (mailsplit's numbering; 2 is declined). */
  kind: 1 | 2 | 3 | 4;
  owner: Part;
}

/** Splits `body` into the parts of `root` (a multipart); false when mailparser must do it. */
export function splitParts(root: Part, body: Buffer): boolean {
  let cur = root;
  let inHead = false;
  let headStart = 0;
  let epilogue = false;
  let parts = 1;
  let pos = 0;
  while (pos < body.length) {
    const nl = body.indexOf(10, pos);
    const end = nl < 0 ? body.length : nl + 1;
    if (nl < 0 && (end - pos > MAX_LAST_LINE || body[pos] === 13)) return false;
    const delimiter = delimiterAt(body, pos, end, cur, epilogue);
    if (delimiter !== null) {
      if (inHead || delimiter.kind === 2) return false;
      if (cur.boundary === null) trimLineEnd(body, cur, delimiter.kind === 4);
      if (++parts > MAX_PARTS) return false;
      if (delimiter.kind === 4) {
        cur = delimiter.owner;
        epilogue = true;
      } else {
        const child = emptyPart(delimiter.owner);
        delimiter.owner.children.push(child);
        cur = child;
        inHead = true;
        headStart = end;
        epilogue = false;
      }
    } else if (inHead) {
      if (end - headStart > MAX_PART_HEAD) return false;
      const blank = end - pos === 1 || (end - pos === 2 && body[pos] === 13);
      if (blank && body[end - 1] === 10) {
        const parent = cur.parent as Part;
        const filled = partFromHead(body.subarray(headStart, pos), parent);
        if (filled === null) return false;
        parent.children[parent.children.length - 1] = filled;
        cur = filled;
        cur.start = cur.end = end;
        inHead = false;
      }
    } else if (cur.boundary === null) {
      cur.end = end; // a leaf's body lines follow each other
    }
    pos = end;
  }
  return !inHead;
}

function emptyPart(parent: Part): Part {
  return { type: '', params: new Map(), encoding: '', disposition: '', filename: '', boundary: null, parent, children: [], start: 0, end: 0 };
}

/**
 * The line end before a delimiter line is the delimiter's, not the part's. A body that is nothing
 * but one line end keeps it before a "--b" line and loses it before a "--b--" one (mailsplit
 * pushes the untrimmed line in the first case and nothing in the second).
 */
function trimLineEnd(body: Buffer, part: Part, closing: boolean): void {
  let end = part.end;
  if (end > part.start && body[end - 1] === 10) {
    end--;
    if (end > part.start && body[end - 1] === 13) end--;
  }
  if (end > part.start || closing) part.end = end;
}

/** mailsplit's checkBoundary for the line [pos, end): own boundary first (not in an epilogue), then ancestors'. */
function delimiterAt(body: Buffer, pos: number, end: number, cur: Part, epilogue: boolean): Delimiter | null {
  let start = pos;
  if (body[pos] === 13 || body[pos] === 10) {
    start++;
    if (body[pos] === 13 && body[pos + 1] === 10) start++;
  }
  if (end - pos < 4 || body[start] !== 0x2d || body[start + 1] !== 0x2d) return null;
  if (!epilogue && cur.boundary !== null) {
    const kind = compareBoundary(body, start, end, cur.boundary);
    if (kind !== 0) return { kind, owner: cur };
  }
  for (let owner = cur.parent; owner !== null; owner = owner.parent) {
    if (owner.boundary === null) continue;
    const kind = compareBoundary(body, start, end, owner.boundary);
    if (kind !== 0) return { kind: kind === 1 ? 3 : 4, owner };
  }
  return null;
}

/** 1 for "--b", 2 for "--b--", each with optional blanks and CR* LF? to the line end; 0 otherwise. */
function compareBoundary(body: Buffer, start: number, end: number, boundary: Buffer): 0 | 1 | 2 {
  const length = end - start;
  if (length < boundary.length + 3 || length > boundary.length + DELIMITER_SLACK) return 0;
  if (body.compare(boundary, 0, boundary.length, start + 2, start + 2 + boundary.length) !== 0) return 0;
  let i = start + 2 + boundary.length;
  let kind: 1 | 2 = 1;
  if (body[i] === 0x2d) {
    if (body[i + 1] !== 0x2d) return 0;
    kind = 2;
    i += 2;
  }
  while (i < end && (body[i] === 0x20 || body[i] === 0x09)) i++;
  if (i === end) return kind === 2 ? 2 : 0;
  while (i < end && body[i] === 13) i++;
  if (i < end && body[i] === 10) i++;
  return i === end ? kind : 0;
}

/**
 * A part from its header block (without the blank line), read as mailsplit reads it: ASCII,
 * continuation lines folded in, the first of each field; null for anything else.
 */
function partFromHead(head: Buffer, parent: Part): Part | null {
  if (!isAscii(head)) return null;
  let end = head.length;
  while (end > 0 && (head[end - 1] === 10 || head[end - 1] === 13)) end--;
  const text = head.toString('latin1', 0, end);
  const fields = new Map<string, string>();
  if (text !== '') {
    if (/\r(?!\n)/.test(text) || /^(?:From |POST |[ \t])/i.test(text)) return null;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; ) {
      const first = lines[i++] as string;
      const colon = first.indexOf(':');
      const key = colon < 0 ? '' : first.slice(0, colon).toLowerCase().trim();
      if (key === '') return null;
      // A folded line's break and the blanks after it read as one space (libmime's decodeHeader).
      let value = first.slice(colon + 1);
      while (i < lines.length && /^[ \t]/.test(lines[i] as string)) value += ' ' + (lines[i++] as string).replace(/^[ \t]+/, '');
      if (!fields.has(key)) fields.set(key, value.trim());
    }
  }
  return makePart(fields.get('content-type'), fields.get('content-transfer-encoding'), fields.get('content-disposition'), parent);
}
