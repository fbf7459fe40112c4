// Who a reply goes to. To: the patch's sender, resolved through relays (B4 Relay's
// "Name via B4 Relay <devnull+...@kernel.org>", X-Original-From, Reply-To). Cc: the lists and the
// patch's To and Cc as a reviewer's "reply to all" would, trimmed by the config; then the
// recipient policy drops every address outside the allowed lists and domains.
import type { Address, Message } from '../model.ts';
import { addresses } from '../mail/addresses.ts';
import { headerText } from './headers.ts';
import { addressMatcher, domainOf } from './patterns.ts';

export interface RecipientPolicy {
  /** List addresses (lower case) and domains a reply may go to. */
  allow: { lists: readonly string[]; domains: readonly string[] };
  cc: { original: boolean; max: number; drop: readonly string[] };
}

export interface Recipients {
  to: Address[];
  cc: Address[];
}

/** B4 Relay's sender: "Name via B4 Relay <devnull+user.example.org@kernel.org>". */
export function isRelaySender(a: Address): boolean {
  return / via B4 Relay$/i.test(a.name.trim()) || /^devnull\+[^@]*@kernel\.org$/i.test(a.address);
}

/**
 * A B4 Relay sender's name without " via B4 Relay". The blanks are matched only from the start of
 * their run: a name of 100k blanks would otherwise be retried from every blank (quadratic).
 */
export function withoutRelaySuffix(name: string): string {
  return name.replace(/(?<!\s)\s+via B4 Relay$/i, '');
}

const clean = (a: Address): Address => ({ name: headerText(a.name, 200), address: headerText(a.address, 254).replace(/\s/g, '') });
/** A plain ASCII address with a dotted domain; anything else is never a recipient. */
const valid = (a: Address): boolean => /^[!#-'*+\-/-9=?A-Z^-~.]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(a.address);

/** The person behind a message: Reply-To (unless it points at a list), X-Original-From, then From unless a relay. */
export function authorOf(msg: Message, lists: readonly string[] = []): Address | undefined {
  const isList = (a: Address): boolean => lists.includes(a.address.toLowerCase());
  const candidates: Address[] = [
    ...msg.replyTo.filter((a) => !isList(a)),
    ...addresses(msg.headers.get('x-original-from')),
    ...(isRelaySender(msg.from) || isList(msg.from) ? [] : [msg.from]),
  ];
  const found = candidates.map(clean).find(valid);
  if (!found) return undefined;
  // The relay's name carries the person's name when the other headers give only an address.
  const relayName = withoutRelaySuffix(msg.from.name).trim();
  return found.name === '' && isRelaySender(msg.from) && relayName ? { ...found, name: headerText(relayName, 200) } : found;
}

function dedupe(list: readonly Address[], seen: Set<string>): Address[] {
  const out: Address[] = [];
  for (const a of list) {
    const key = a.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/**
 * To and Cc of a reply to `parent`. `extraCc` are people the review concerns besides the sender
 * (the commit's author when someone else sent it). `self` is never a recipient.
 */
export function replyRecipients(parent: Message, extraCc: readonly Address[], policy: RecipientPolicy, self: Address): Recipients {
  const lists = policy.allow.lists.map((l) => l.toLowerCase());
  const dropped = addressMatcher(policy.cc.drop);
  const skip = (a: Address): boolean => isRelaySender(a) || dropped(a) || a.address.toLowerCase() === self.address.toLowerCase();
  const seen = new Set<string>();
  const author = authorOf(parent, lists);
  const to = dedupe(author && !skip(author) ? [author] : [], seen);
  const original = [...parent.to, ...parent.cc].map(clean).filter(valid);
  const isList = (a: Address): boolean => lists.includes(a.address.toLowerCase());
  const people = policy.cc.original ? original.filter((a) => !isList(a)) : [];
  const cc = dedupe([...original.filter(isList), ...extraCc.map(clean).filter(valid), ...people].filter((a) => !skip(a)), seen);
  return { to, cc: cc.slice(0, policy.cc.max) };
}

/** True when the policy lets a mail go to `a`: a listed list address, or an address in an allowed domain. */
export function allowed(a: Address, allow: RecipientPolicy['allow']): boolean {
  const address = a.address.toLowerCase();
  if (allow.lists.some((l) => l.toLowerCase() === address)) return true;
  const domain = domainOf(address);
  return allow.domains.some((d) => {
    const want = d.toLowerCase();
    return domain === want || domain.endsWith(`.${want}`);
  });
}

/** The recipients the policy allows, and the addresses it dropped. */
export function applyAllowlist(r: Recipients, allow: RecipientPolicy['allow']): Recipients & { dropped: string[] } {
  const dropped = [...r.to, ...r.cc].filter((a) => !allowed(a, allow)).map((a) => a.address);
  return { to: r.to.filter((a) => allowed(a, allow)), cc: r.cc.filter((a) => allowed(a, allow)), dropped };
}
