// A read-only view of the mail outbox for `deptbot status` (works on a read-only handle: no
// migration): mails by state, those waiting for the list's echo after a crash, and the last
// failed attempts with their errors.
import type { Db } from './db.ts';
import { schemaVersion } from './db.ts';
import type { OutboxState } from './outbox.ts';

export interface OutboxMailStatus {
  messageId: string;
  subject: string;
  state: OutboxState;
  attempts: number;
  /** Uncertain: when it is sent again without an echo; queued: the next attempt. */
  nextAttempt: number;
  lastError: string | null;
  updatedAt: number;
}

export interface OutboxStatus {
  states: Partial<Record<OutboxState, number>>;
  uncertain: OutboxMailStatus[];
  /** Newest first: mails whose last attempt failed (queued for a retry, or failed for good). */
  failures: OutboxMailStatus[];
}

const COLUMNS = `message_id AS messageId, subject, state, attempts, next_attempt AS nextAttempt, last_error AS lastError, updated_at AS updatedAt`;

/** The outbox's status, or undefined when mail never ran on this state file. */
export function readOutboxStatus(db: Db, limit = 10): OutboxStatus | undefined {
  if (schemaVersion(db, 'mail-outbox') === 0) return undefined;
  const states = db.prepare('SELECT state, COUNT(*) AS n FROM mail_outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>;
  return {
    states: Object.fromEntries(states.map((r) => [r.state, r.n])),
    uncertain: db.prepare(`SELECT ${COLUMNS} FROM mail_outbox WHERE state IN ('sending', 'uncertain') ORDER BY next_attempt LIMIT ?`).all(limit) as OutboxMailStatus[],
    failures: db
      .prepare(`SELECT ${COLUMNS} FROM mail_outbox WHERE last_error IS NOT NULL AND state IN ('queued', 'failed') ORDER BY updated_at DESC, message_id LIMIT ?`)
      .all(limit) as OutboxMailStatus[],
  };
}
