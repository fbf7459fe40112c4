// The Subject as mailparser returns it, without running mailparser: the value is trimmed as a
// latin1 string of its UTF-8 bytes (so a trailing 0xA0 byte of a character goes, as there), read
// back as UTF-8, then its encoded words decoded; an empty result leaves the raw subject.
import { decodeWords } from './encoded-words.ts';

/** Longer subjects go to mailparser, whose header size limit they may reach. */
const MAX_SUBJECT_CHARS = 100_000;
const CONTROL = /[\x00-\x08\x0a-\x1f]/;

/** mailparser's reading of a Subject value, or null when only mailparser can tell. */
export function mailparserSubject(raw: string): string | null {
  if (raw.length > MAX_SUBJECT_CHARS || CONTROL.test(raw)) return null;
  const value = Buffer.from(Buffer.from(raw, 'utf8').toString('latin1').trim(), 'latin1').toString('utf8');
  const decoded = decodeWords(value);
  if (decoded === null) return null;
  return decoded || raw;
}
