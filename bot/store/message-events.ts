// Lets one feature's tables follow another's without importing it: the watcher's store announces
// each message it stores, inside the transaction that stores it, and the mail outbox listens for
// its own replies coming back from the list. Listeners run synchronously in that transaction, so
// what they write commits (or rolls back) together with the message.
import type { Db } from './db.ts';

export type StoredMessageListener = (messageId: string) => void;

const listeners = new WeakMap<Db, Set<StoredMessageListener>>();

/** Calls `fn` with the Message-ID of every message stored in `db` from now on; returns the unsubscribe. */
export function onMessageStored(db: Db, fn: StoredMessageListener): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

/** Announces a newly stored message (called by the store that stored it). */
export function messageStored(db: Db, messageId: string): void {
  for (const fn of listeners.get(db) ?? []) fn(messageId);
}
