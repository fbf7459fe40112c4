// The charset families the fast paths decode themselves, named as mailparser's charset library
// (libmime) resolves them: UTF-8 (read by Buffer, as libmime does), Windows-1252 (which libmime
// reads ISO-8859-1, US-ASCII and Latin-1 as) and ISO-8859-15, both with iconv-lite's tables. Any
// other name is left to mailparser.

export type CharsetFamily = 'utf8' | 'cp1252' | 'latin9';

/** Lower-cased, trimmed names whose libmime reading is one of the families above. */
const FAMILIES = new Map<string, CharsetFamily>([
  ['utf-8', 'utf8'],
  ['utf8', 'utf8'],
  ['us-ascii', 'cp1252'],
  ['ascii', 'cp1252'],
  ['iso-8859-1', 'cp1252'],
  ['iso8859-1', 'cp1252'],
  ['iso_8859-1', 'cp1252'],
  ['latin1', 'cp1252'],
  ['windows-1252', 'cp1252'],
  ['cp1252', 'cp1252'],
  ['iso-8859-15', 'latin9'],
  ['iso8859-15', 'latin9'],
  ['iso_8859-15', 'latin9'],
  ['iso885915', 'latin9'],
]);

/** The family libmime reads `name` as, or null when the fast paths do not know it. */
export function charsetFamily(name: string): CharsetFamily | null {
  return FAMILIES.get(name.toLowerCase().trim()) ?? null;
}

/** A byte -> UTF-16 table: latin1 with `changes` (byte, code point). */
function table(changes: readonly [number, number][]): Uint16Array {
  const t = new Uint16Array(256);
  for (let b = 0; b < 256; b++) t[b] = b;
  for (const [b, c] of changes) t[b] = c;
  return t;
}

const FFFD = 0xfffd;
/** Windows-1252 bytes 0x80..0x9f; the five it leaves undefined read as U+FFFD (iconv-lite's table). */
const CP1252 = table(
  [
    0x20ac, FFFD, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, FFFD, 0x017d, FFFD,
    FFFD, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, FFFD, 0x017e, 0x0178,
  ].map((c, i): [number, number] => [0x80 + i, c]),
);
const LATIN9 = table([
  [0xa4, 0x20ac],
  [0xa6, 0x0160],
  [0xa8, 0x0161],
  [0xb4, 0x017d],
  [0xb8, 0x017e],
  [0xbc, 0x0152],
  [0xbd, 0x0153],
  [0xbe, 0x0178],
]);

const BLOCK = 8192;

/** Text of single-byte `bytes` through `map`; latin1 as long as no byte is remapped. */
function decodeSingleByte(bytes: Uint8Array, map: Uint16Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 0;
  while (i < buf.length && map[buf[i] as number] === buf[i]) i++;
  if (i === buf.length) return buf.toString('latin1');
  // One UTF-16 unit per byte, turned into text a block at a time (linear, whatever the bytes).
  const units = new Uint16Array(buf.length);
  for (let k = 0; k < buf.length; k++) units[k] = map[buf[k] as number] as number;
  let text = '';
  for (let k = 0; k < units.length; k += BLOCK) text += String.fromCharCode(...units.subarray(k, k + BLOCK));
  return text;
}

/** Windows-1252 text: latin1 except 0x80..0x9f. */
export function decodeCp1252(bytes: Uint8Array): string {
  return decodeSingleByte(bytes, CP1252);
}

/** Bytes in a family as text, the way libmime's decode() reads them. */
export function decodeFamily(bytes: Buffer, family: CharsetFamily): string {
  if (family === 'utf8') return bytes.toString('utf8');
  return decodeSingleByte(bytes, family === 'cp1252' ? CP1252 : LATIN9);
}
