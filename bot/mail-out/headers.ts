// Header values of a reply: "Re: <subject>" once, bounded References, a deterministic Message-ID,
// and text made safe to be a header (no CR, LF or other control characters, so nothing that comes
// from a hostile subject or name can start a header of its own).
import { createHash } from 'node:crypto';
import type { Message } from '../model.ts';

/** Reply prefixes in the languages kernel mail uses ("Re:", "AW:", "Fwd:", "Re[2]:"). */
const REPLY_PREFIX = /^\s*(?:re|aw|fwd?|antw|sv|wg|odp)(?:\[\d{1,4}\])?\s*:\s*/i;

/** Replaces control characters (CR and LF included) by spaces and trims; at most `max` characters. */
export function headerText(value: string, max = 900): string {
  const clean = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return clean.length > max ? clean.slice(0, max) : clean;
}

/**
 * The list's name from a List-Id ("Foo" <linaro-mm-sig.lists.linaro.org> -> "linaro-mm-sig"). The
 * name and the rest can only split at the first dot, and neither crosses a "<", so a header of
 * 100k "<" stays linear.
 */
export function listName(listId: string | undefined): string | undefined {
  const m = /<([^.<>]+)(?:\.[^<>]*)?>/.exec(listId ?? '') ?? /^\s*([^\s.<>"]+)\./.exec(listId ?? '');
  return m?.[1]?.toLowerCase();
}

/**
 * "Re: " + the subject as the author wrote it: reply prefixes dropped (never "Re: Re:"), and the
 * list's own "[list-name]" tag dropped when the List-Id names it (the list adds it back itself).
 */
export function replySubject(msg: Message): string {
  let s = headerText(msg.subject.raw);
  const tag = listName(msg.headers.get('list-id'));
  for (;;) {
    const before = s;
    s = s.replace(REPLY_PREFIX, '');
    if (tag) {
      const m = /^\[([^\]]*)\]\s*/.exec(s);
      if (m && m[1]?.trim().toLowerCase() === tag) s = s.slice(m[0].length);
    }
    if (s === before) break;
  }
  return `Re: ${s}`;
}

/**
 * References of a reply: the parent's References plus the parent itself, at most `max` ids. The
 * thread root (first) and the nearest ancestors are kept, as RFC 5322 suggests for long chains.
 */
export function replyReferences(parent: Message, max: number): string[] {
  const chain = [...parent.references.filter((id) => id !== parent.id), parent.id].map((id) => headerText(id, 250));
  const unique = [...new Set(chain)];
  if (unique.length <= max) return unique;
  return [unique[0] as string, ...unique.slice(unique.length - (max - 1))];
}

/** The thread a reply belongs to: its root message. */
export function threadRoot(parent: Message): string {
  return parent.references[0] ?? parent.inReplyTo ?? parent.id;
}

/** "<deptbot.HASH@domain>" from the inputs that define the mail's content: the same inputs, the same id. */
export function deterministicMessageId(domain: string, parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return `deptbot.${h.digest('hex').slice(0, 32)}@${domain}`;
}

/** True when `id` has the shape of a Message-ID this bot makes for `domain`. */
export function isOwnMessageId(id: string, domain: string): boolean {
  return /^deptbot\.[0-9a-f]{32}@/.test(id) && id.slice(id.indexOf('@') + 1).toLowerCase() === domain.toLowerCase();
}

/** Headers that tell people and filters the mail is from a bot. */
export const BOT_HEADER = 'X-Deptbot-Version';

export function botHeaders(version: string): Record<string, string> {
  return {
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
    'X-Mailer': `deptbot ${version}`,
    [BOT_HEADER]: version,
  };
}
