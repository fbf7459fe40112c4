// What the bot must never do: answer automated mail (Auto-Submitted other than "no"), known bots,
// or its own mails (a mail loop); mail anyone outside the recipient policy; or exceed its rate
// limits. Each check is a pure function; the counts come from the outbox in the store.
import type { Address, Message } from '../model.ts';
import { BOT_HEADER, isOwnMessageId } from './headers.ts';
import { addressMatcher, domainOf } from './patterns.ts';
import { authorOf } from './recipients.ts';

export interface Identity {
  /** The bot's From address. */
  self: Address;
  /** Patterns of senders never answered (config mail.bots). */
  bots: readonly string[];
}

/** Why a message must not be answered, or undefined when a reply is fine. */
export function replyForbidden(msg: Message, id: Identity): string | undefined {
  const auto = (msg.headers.get('auto-submitted') ?? '').trim().toLowerCase();
  if (auto !== '' && !/^no\b/.test(auto)) return `it is automated mail (Auto-Submitted: ${auto.slice(0, 40)})`;
  const domain = domainOf(id.self.address);
  if (msg.headers.has(BOT_HEADER.toLowerCase()) || isOwnMessageId(msg.id, domain)) return 'it is one of the bot\'s own mails';
  const senders = [msg.from, ...(authorOf(msg) ? [authorOf(msg) as Address] : [])];
  if (senders.some((a) => a.address.toLowerCase() === id.self.address.toLowerCase())) return 'it is one of the bot\'s own mails';
  const isBot = addressMatcher(id.bots);
  const bot = senders.find(isBot);
  if (bot) return `it comes from a known bot (${bot.address || bot.name})`;
  return undefined;
}

export interface RateLimits {
  perThread: number;
  perListPerHour: number;
  perHour: number;
}

/** Counts of mails already sent (or queued, for threads) in the windows the limits use. */
export interface RateCounts {
  thread: number;
  /** Per list address among the mail's recipients. */
  lists: Record<string, number>;
  hour: number;
}

export type RateVerdict = { ok: true } | { ok: false; scope: 'thread' | 'list' | 'hour'; detail: string };

/** Thread limits drop a mail (a thread must never be flooded); list and hourly limits only delay it. */
export function checkRate(counts: RateCounts, limits: RateLimits): RateVerdict {
  if (counts.thread >= limits.perThread) return { ok: false, scope: 'thread', detail: `${counts.thread} mails in this thread today` };
  if (counts.hour >= limits.perHour) return { ok: false, scope: 'hour', detail: `${counts.hour} mails in the last hour` };
  for (const [list, n] of Object.entries(counts.lists)) {
    if (n >= limits.perListPerHour) return { ok: false, scope: 'list', detail: `${n} mails to ${list} in the last hour` };
  }
  return { ok: true };
}
