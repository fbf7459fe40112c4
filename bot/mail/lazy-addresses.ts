// To/Cc/Reply-To stay unparsed until first read (most runs never read them), as accessor
// properties: parseMessage makes them so here. Copying a message with a spread or a structured
// clone reads them, so the code that copies messages (slim reviews, the hand-off to a review
// worker) keeps them unread instead: it carries the raw header values and parses them, the same
// way, when they are first read.
import type { Address, Message } from '../model.ts';
import { addresses } from './addresses.ts';

/** The lists parsed on first read, and the header each is parsed from. */
export const LIST_FIELDS = [['to', 'to'], ['cc', 'cc'], ['replyTo', 'reply-to']] as const;
export type ListKey = (typeof LIST_FIELDS)[number][0];

/** Raw header values of the lists not parsed yet. */
export type UnreadLists = Partial<Record<ListKey, string>>;

/** Raw values behind the lists made lazy here (a slim message keeps few headers). */
const raws = new WeakMap<Message, UnreadLists>();

/** The lists of `msg` not read yet, with the raw values they are parsed from; undefined when none. */
export function unreadLists(msg: Message): UnreadLists | undefined {
  let unread: UnreadLists | undefined;
  for (const [key] of LIST_FIELDS) {
    if (Object.getOwnPropertyDescriptor(msg, key)?.get === undefined) continue;
    const raw = raws.get(msg)?.[key];
    if (raw !== undefined) (unread ??= {})[key] = raw;
  }
  return unread;
}

/** Makes the lists named in `unread` parse their raw value when first read. */
export function withUnreadLists(msg: Message, unread: UnreadLists): Message {
  for (const key of Object.keys(unread) as ListKey[]) {
    const raw = unread[key];
    Object.defineProperty(msg, key, {
      enumerable: true,
      configurable: true,
      get: (): Address[] => settle(msg, key, addresses(raw)),
      set: (list: Address[]) => settle(msg, key, list),
    });
  }
  raws.set(msg, { ...unread });
  return msg;
}

/** `{ ...msg, ...changes }`, except that lists `msg` has not read stay unread in the copy. */
export function copyMessage(msg: Message, changes: Partial<Message>): Message {
  const unread = unreadLists(msg);
  if (!unread) return { ...msg, ...changes };
  const copy = Object.assign(placeholderCopy(msg, unread), changes);
  for (const key of Object.keys(changes)) delete unread[key as ListKey];
  return withUnreadLists(copy, unread);
}

/** A plain copy of `msg` in which the lists in `unread` hold [] (so it can be copied further). */
export function placeholderCopy(msg: Message, unread: UnreadLists): Message {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(msg)) copy[key] = key in unread ? [] : msg[key as keyof Message];
  return copy as unknown as Message;
}

function settle(msg: Message, key: ListKey, list: Address[]): Address[] {
  Object.defineProperty(msg, key, { value: list, enumerable: true, configurable: true, writable: true });
  return list;
}
