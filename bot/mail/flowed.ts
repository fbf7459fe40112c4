// format=flowed (RFC 3676) unwrapping with the exact rules of mailparser's decoder (libmime's
// decodeFlowed), so the fast path gives the text mailparser gives: soft breaks (a line ending in a
// space) join lines of the same quote depth, "-- " stays a signature line, delsp=yes drops the
// space before a soft break, and one leading space (stuffing) goes from every line. Like
// mailparser's, a trailing line break is not kept.

/**
 * Unwraps `text`. mailparser unwraps the bytes (read as latin1) before charset decoding; every
 * rule here looks at ASCII only, so text decoded first gives the same result, except that with
 * delsp=yes a soft break can join the two halves of a UTF-8 character: then pass latin1.
 */
export function decodeFlowed(text: string, delSp: boolean): string {
  if (!delSp && !LONE_CR.test(text)) return unwrapInPlace(text.includes('\r') ? text.replace(/\r\n/g, '\n') : text);
  return unwrapLines(text.includes('\r') ? text.split(/\r?\n/) : text.split('\n'), delSp);
}

const LONE_CR = /\r(?!\n)/;

/**
 * The common case (no delsp, LF line ends) as edits of the text, which is mostly kept: a soft
 * break loses its line end and the next line's quote marker or stuffing space, a paragraph loses
 * its stuffing space, the text its last line end. Copying the kept stretches whole spares the
 * strings of ~300,000 lines an archive's flowed mail has.
 */
function unwrapInPlace(text: string): string {
  const kept: string[] = [];
  let copyFrom = 0;
  const drop = (from: number, to: number): void => {
    if (from > copyFrom) kept.push(text.slice(copyFrom, from));
    copyFrom = to;
  };
  // The paragraph: its quote depth, length, last character and (while that short) its text.
  let depth = 0;
  let paraLength = 0;
  let lastCode = -1;
  let paraText = '';
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    let lineDepth = 0;
    while (start + lineDepth < end && text.charCodeAt(start + lineDepth) === 0x3e /* > */) lineDepth++;
    const prefixLength = lineDepth && start + lineDepth < end && text.charCodeAt(start + lineDepth) === 0x20 ? lineDepth + 1 : lineDepth;
    const stuffed = start < end && text.charCodeAt(start) === 0x20;
    let pieceStart: number;
    if (lineDepth === depth && lastCode === 0x20 && !(paraLength === 3 && paraText === '-- ')) {
      pieceStart = start + (lineDepth ? prefixLength : stuffed ? 1 : 0);
      drop(start - 1, pieceStart);
    } else {
      depth = lineDepth;
      paraLength = 0;
      lastCode = -1;
      paraText = '';
      pieceStart = start + prefixLength;
      if (stuffed) drop(start, start + 1);
    }
    if (end > pieceStart) {
      if (paraLength + end - pieceStart <= 3) paraText += text.slice(pieceStart, end);
      paraLength += end - pieceStart;
      lastCode = text.charCodeAt(end - 1);
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  // A last empty line is no paragraph (or was joined): the line end before it goes either way.
  if (text.endsWith('\n') && copyFrom < text.length) drop(text.length - 1, text.length);
  if (copyFrom < text.length) kept.push(text.slice(copyFrom));
  return kept.join('');
}

/** Line by line, as mailparser does it; needed for delsp=yes and for lone CRs. */
function unwrapLines(lines: readonly string[], delSp: boolean): string {
  const result: string[] = [];
  // Pieces of the current paragraph, never empty, joined once it ends.
  let parts: string[] = [];
  let partsLength = 0;
  let depth = 0;
  let prefix = '';
  const push = (part: string): void => {
    if (part) {
      parts.push(part);
      partsLength += part.length;
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    let lineDepth = 0;
    while (line.charCodeAt(lineDepth) === 0x3e /* > */) lineDepth++;
    const prefixLength = lineDepth && line.charCodeAt(lineDepth) === 0x20 ? lineDepth + 1 : lineDepth;
    const content = line.slice(prefixLength);
    const last = parts.length > 0 ? (parts[parts.length - 1] as string) : '';
    const soft = lineDepth === depth && last.endsWith(' ') && !(partsLength === 3 && parts.join('') === '-- ');
    if (soft && delSp) {
      parts.pop();
      partsLength -= last.length;
      push(last.slice(0, -1));
      push(content);
    } else if (soft) {
      // Without delsp a continuation's leading space is stuffing; a quoted line's is in its prefix.
      push(lineDepth ? content : content.replace(/^ /, ''));
    } else {
      if (i > 0) result.push(unstuff(prefix + parts.join('')));
      parts = [];
      partsLength = 0;
      depth = lineDepth;
      prefix = line.slice(0, prefixLength);
      push(content);
    }
  }
  if (partsLength || prefix) result.push(unstuff(prefix + parts.join('')));
  return result.join('\n');
}

const STUFFED_AFTER_CR = /(^|\r) /g;

/**
 * Space stuffing goes from the start of each line, mailparser's /^ /gm over the joined text: in
 * latin1 text a line start is also any point after a lone CR (not after U+2028, which decoded
 * text may hold).
 */
function unstuff(line: string): string {
  if (line.includes('\r')) return line.replace(STUFFED_AFTER_CR, '$1');
  return line.charCodeAt(0) === 0x20 ? line.slice(1) : line;
}
