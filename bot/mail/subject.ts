// Subject lines as b4's LoreSubject reads them: reply prefixes, bracketed tag groups ([PATCH v3 2/5],
// list tags such as [Linaro-mm-sig]) and the title left over. A single left-to-right scan with sticky
// regular expressions of bounded shape, so a 100k-character hostile subject costs linear time.
import type { Subject } from '../model.ts';

/** "Re:", "AW:", "Fwd:", "Antw:", ... optionally numbered ("Re[2]:"). */
const REPLY_PREFIX = /(?:re|aw|fwd?|antw|sv|wg|odp)(?:\[\d{1,4}\])?[ \t]*:[ \t]*/iy;
const COUNTER = /^(\d{1,4})\/(\d{1,4})$/;
const REVISION = /^v(\d{1,4})$/i;
/** "PATCHv3", "PATCH-v3" written as one token. */
const GLUED_REVISION = /^(patch|rfc)-?v(\d{1,4})$/i;

interface Tags {
  isPatch: boolean;
  rfc: boolean;
  resend: boolean;
  revision?: number;
  counter?: number;
  expected?: number;
  prefixes: string[];
}

export function parseSubject(raw: string): Subject {
  const clean = raw.replace(/\s+/g, ' ').trim();
  const tags: Tags = { isPatch: false, rfc: false, resend: false, prefixes: [] };
  let isReply = false;
  let pos = 0;
  for (;;) {
    while (clean.charCodeAt(pos) === 32) pos++;
    REPLY_PREFIX.lastIndex = pos;
    if (REPLY_PREFIX.test(clean)) {
      isReply = true;
      pos = REPLY_PREFIX.lastIndex;
      continue;
    }
    if (clean[pos] === '[') {
      const end = closingBracket(clean, pos);
      if (end < 0) break;
      readGroup(clean.slice(pos + 1, end), tags);
      pos = end + 1;
      continue;
    }
    break;
  }
  const text = clean.slice(pos).trim();
  const counter = tags.counter ?? (tags.isPatch ? 1 : 0);
  const expected = tags.expected ?? (tags.isPatch ? 1 : 0);
  return {
    raw,
    text,
    isReply,
    isPatch: tags.isPatch,
    revision: tags.revision ?? 1,
    counter,
    expected,
    prefixes: tags.prefixes,
    rfc: tags.rfc,
    resend: tags.resend,
  };
}

/** Index of the "]" closing the "[" at start, nested groups counted; -1 when unclosed. */
function closingBracket(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 91) depth++;
    else if (c === 93 && --depth === 0) return i;
  }
  return -1;
}

/**
 * One bracketed group. A group with any patch tag (PATCH, RFC, RESEND, vN, N/M) contributes its other
 * tokens as prefixes ("net-next"); a group without one is a list or topic tag and is dropped.
 */
function readGroup(inner: string, tags: Tags): void {
  const tokens = inner.replace(/[[\]]/g, ' ').split(/[\s,;]+/).filter((t) => t.length > 0);
  const extra: string[] = [];
  let tagged = false;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    let m: RegExpExecArray | null;
    if (lower === 'patch' || lower === 'patches' || lower === 'patchset') {
      tags.isPatch = true;
      tagged = true;
    } else if ((m = GLUED_REVISION.exec(token))) {
      if (m[1]?.toLowerCase() === 'rfc') tags.rfc = true;
      else tags.isPatch = true;
      tags.revision = Number(m[2]);
      tagged = true;
    } else if (lower === 'rfc') {
      tags.rfc = true;
      tagged = true;
    } else if (lower === 'resend') {
      tags.resend = true;
      tagged = true;
    } else if ((m = REVISION.exec(token))) {
      tags.revision = Number(m[1]);
      tagged = true;
    } else if ((m = COUNTER.exec(token))) {
      tags.counter = Number(m[1]);
      tags.expected = Number(m[2]);
      tagged = true;
    } else {
      extra.push(token);
    }
  }
  // "[RFC 2/5]" without the word PATCH is still a numbered patch.
  if (tags.rfc && tags.counter !== undefined) tags.isPatch = true;
  if (tagged) tags.prefixes.push(...extra);
}
