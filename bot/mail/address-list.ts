// The common shapes of an address header, read without mailparser's general RFC 5322 tokenizer
// (the main thread's largest single cost on list mail: Cc lines of 20 to 50 people). An entry is
//   Name Words <local@domain>  |  "Quoted, \"Name\"" <local@domain>  |  local@domain
// separated by commas; display names may hold encoded words. Other entries without quotes,
// comments, groups or brackets (a folded "linux-kernel @vger.kernel.org", "Name <a@b. org>") are
// self-contained for mailparser's tokenizer, which reads them the same alone as within the list:
// they go to `readOther`. Anything else (comments, groups, route addresses, control characters,
// a second quoted string, encoded or punycode addresses, charsets encoded-words.ts does not know)
// answers null, and the caller gives the whole value to mailparser, whose result this reproduces.
import type { Address } from '../model.ts';
import { decodeWords } from './encoded-words.ts';

/** atext and "." (RFC 5322 dot-atom), one "@" checked separately. */
const ADDR_SPEC = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+@[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/;

/** mailparser's reading of one self-contained entry, or null to give the whole value to mailparser. */
export type EntryReader = (entry: string) => Address | null;

/** Addresses of one header value, or null when it is not of the common shapes. */
export function parseAddressList(value: string, readOther: EntryReader): Address[] | null {
  if (CONTROL.test(value)) return null;
  const out: Address[] = [];
  // The next comma at or after `from`, found again only once passed: one scan in all.
  let comma = value.indexOf(',');
  let start = 0;
  let from = 0;
  for (;;) {
    if (comma >= 0 && comma < from) comma = value.indexOf(',', from);
    const quote = value.indexOf('"', from);
    if (quote >= 0 && (comma < 0 || quote < comma)) {
      // A quoted string hides its commas.
      const close = closingQuote(value, quote);
      if (close < 0) return null;
      from = close + 1;
      continue;
    }
    const end = comma < 0 ? value.length : comma;
    const entry = value.slice(start, end);
    if (!readEntry(entry, out) && !readSelfContained(entry, readOther, out)) return null;
    if (end === value.length) return out;
    start = from = end + 1;
  }
}

/** Control characters other than tab: mailparser's tokenizer drops them. */
const CONTROL = /[\x00-\x08\x0a-\x1f]/;

/** Offset of the '"' closing the quoted string opened at `open` (a backslash escapes the next character), or -1. */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  let backslash = text.indexOf('\\', open + 1);
  // Each search starts past the last hit, so the scan stays linear.
  while (quote >= 0 && backslash >= 0 && backslash < quote) {
    const next = backslash + 2;
    if (quote < next) quote = text.indexOf('"', next);
    backslash = text.indexOf('\\', next);
  }
  return quote;
}

/** Appends the address of one entry (none for an empty one); false when it is not a common shape. */
function readEntry(raw: string, out: Address[]): boolean {
  const entry = raw.trim();
  if (entry.length === 0) return true;
  let name: string;
  let address: string;
  if (entry.charCodeAt(entry.length - 1) === 0x3e /* > */) {
    const open = entry.lastIndexOf('<');
    if (open < 0) return false;
    address = entry.slice(open + 1, -1);
    if (entry.charCodeAt(0) === 0x22 /* " */) {
      const close = closingQuote(entry, 0);
      if (close < 0 || close >= open || entry.slice(close + 1, open).trim() !== '') return false;
      // mailparser drops each escaping backslash, then trims.
      const quoted = entry.slice(1, close);
      name = (quoted.includes('\\') ? quoted.replace(ESCAPED, '$1') : quoted).trim();
    } else {
      const phrase = entry.slice(0, open);
      if (PHRASE_SPECIAL.test(phrase)) return false;
      name = phrase.trim();
    }
  } else {
    address = entry;
    name = '';
  }
  if (!ADDR_SPEC.test(address) || address.indexOf('@') !== address.lastIndexOf('@')) return false;
  // mailparser decodes "=?...?=" addresses and punycode domains: not these shapes.
  if (address.includes('=?') || address.includes('@xn--')) return false;
  // A name equal to its address is no name (checked before decoding, as mailparser does).
  if (name === address) name = '';
  if (name) {
    const decoded = decodeWords(name);
    if (decoded === null) return false;
    name = decoded;
  }
  out.push({ name, address });
  return true;
}

const ESCAPED = /\\([\s\S])/g;
/** Display text before "<" without quotes, comments, brackets or separators. */
const PHRASE_SPECIAL = /["()<>[\]:;\\]/;

/**
 * An entry without quotes, comments, escapes, brackets or separators, whose angle brackets each
 * close, read by `readOther`; it must name an address (one without could merge with the next
 * entry, as a split "Last, First" name does).
 */
function readSelfContained(entry: string, readOther: EntryReader, out: Address[]): boolean {
  if (SPECIAL.test(entry) || !anglesClose(entry)) return false;
  const address = readOther(entry);
  if (!address?.address) return false;
  out.push(address);
  return true;
}

const SPECIAL = /["()[\]:;\\]/;

/** Whether every "<" is closed by a later ">" (inside one, "<" is text), so no comma was inside one. */
function anglesClose(entry: string): boolean {
  let open = false;
  for (let i = entry.indexOf('<'); i >= 0 && i < entry.length; i++) {
    const c = entry.charCodeAt(i);
    if (c === 0x3c) open = true;
    else if (c === 0x3e) open = false;
  }
  return !open;
}
