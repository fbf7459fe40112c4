// The header section of a message as raw lines: where it ends, and each field unfolded. This is
// RFC 5322 syntax only (no MIME decoding: encoded words and bodies are left to mailparser).

export interface HeaderField {
  /** Lower-cased field name. */
  key: string;
  /** The unfolded value as the bytes read as UTF-8 (8-bit headers are UTF-8 in practice), trimmed. */
  value: string;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Offset of the first body byte (after the empty line), or data.length when there is no body. */
  bodyStart: number;
}

const FIELD = /^([!-9;-~]{1,128})[ \t]*:/;

/** Offset just after the empty line that ends the header section, CRLF or LF; data.length when none. */
export function findBodyStart(data: Buffer, from = 0): number {
  let i = from;
  for (;;) {
    const nl = data.indexOf(10, i);
    if (nl < 0) return data.length;
    // An empty line: "\n\n" or "\n\r\n" (the first line of the block can be empty too).
    const next = data[nl + 1];
    if (next === 10) return nl + 2;
    if (next === 13 && data[nl + 2] === 10) return nl + 3;
    if (nl === from || (nl === from + 1 && data[from] === 13)) return nl + 1;
    i = nl + 1;
  }
}

/** Reads the header section starting at `from`; lines that are no header field are ignored. */
export function readHeaderBlock(data: Buffer, from = 0): HeaderBlock {
  const bodyStart = findBodyStart(data, from);
  const text = data.toString('utf8', from, bodyStart);
  const fields: HeaderField[] = [];
  let current: { key: string; parts: string[] } | null = null;
  const close = (): void => {
    if (current) fields.push({ key: current.key, value: current.parts.join(' ').trim() });
    current = null;
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.length === 0) break;
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      current?.parts.push(line.trim());
      continue;
    }
    close();
    const m = FIELD.exec(line);
    if (m?.[1]) current = { key: m[1].toLowerCase(), parts: [line.slice(m[0].length)] };
  }
  close();
  return { fields, bodyStart };
}

/** True when the bytes start like a mail header section (a "Name: value" field first). */
export function startsWithHeaderField(data: Buffer, from = 0): boolean {
  const end = Math.min(data.length, from + 200);
  const nl = data.indexOf(10, from);
  const firstLine = data.toString('utf8', from, nl < 0 || nl > end ? end : nl);
  return FIELD.test(firstLine);
}
