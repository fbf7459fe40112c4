// The mail outbox in the state database. A mail is recorded (with its exact bytes) before any
// attempt to send it, and marked sent only after the server accepted it; its key is the
// deterministic Message-ID, so a review repeated after a crash finds the mail already there and a
// sent mail is never sent again. Failed attempts are retried with a capped, doubling backoff.
// A crash during the SMTP transaction leaves a mail 'sending': the server may have accepted it,
// and SMTP cannot tell. Such a mail becomes 'uncertain' on the next start: sent once the list
// echoes it (its Message-ID arrives from a source), sent again only if no echo came in the grace.
import type { Db } from './db.ts';
import { migrate } from './db.ts';

export type OutboxState =
  /** Waiting to be sent (also after a failed attempt, until next_attempt). */
  | 'queued'
  /** An SMTP transaction was started (a crash here leaves it so until the next start). */
  | 'sending'
  /** Found 'sending' after a crash: waits for the list's echo until next_attempt, then is sent again. */
  | 'uncertain'
  | 'sent'
  /** Gave up after the configured attempts. */
  | 'failed'
  /** Written as an .eml file only (dry-run or kill switch); never sent later. */
  | 'dry-run'
  /** Refused by the safety policy; reason says why. */
  | 'dropped';

export interface OutboxMail {
  messageId: string;
  seriesKey: string;
  thread: string;
  inReplyTo: string;
  subject: string;
  envelopeFrom: string;
  recipients: string[];
  /** List addresses among the recipients (rate limits per list). */
  lists: string[];
  raw: Buffer;
}

export interface OutboxRow extends OutboxMail {
  state: OutboxState;
  reason: string | null;
  attempts: number;
  nextAttempt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

interface DbRow {
  message_id: string;
  series_key: string;
  thread: string;
  in_reply_to: string;
  subject: string;
  envelope_from: string;
  recipients: string;
  lists: string;
  raw: Buffer;
  state: OutboxState;
  reason: string | null;
  attempts: number;
  next_attempt: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

const schema: ReadonlyArray<(db: Db) => void> = [
  (db) =>
    db.exec(`
    CREATE TABLE IF NOT EXISTS mail_outbox (
      message_id TEXT PRIMARY KEY,
      series_key TEXT NOT NULL,
      thread TEXT NOT NULL,
      in_reply_to TEXT NOT NULL,
      subject TEXT NOT NULL,
      envelope_from TEXT NOT NULL,
      recipients TEXT NOT NULL,
      lists TEXT NOT NULL,
      raw BLOB NOT NULL,
      state TEXT NOT NULL,
      reason TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt INTEGER NOT NULL,
      last_error TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      sent_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (state, next_attempt);
    CREATE INDEX IF NOT EXISTS mail_outbox_thread ON mail_outbox (thread, created_at);
    CREATE INDEX IF NOT EXISTS mail_outbox_sent ON mail_outbox (sent_at);
  `),
];

function toRow(r: DbRow): OutboxRow {
  return {
    messageId: r.message_id,
    seriesKey: r.series_key,
    thread: r.thread,
    inReplyTo: r.in_reply_to,
    subject: r.subject,
    envelopeFrom: r.envelope_from,
    recipients: JSON.parse(r.recipients) as string[],
    lists: JSON.parse(r.lists) as string[],
    raw: r.raw,
    state: r.state,
    reason: r.reason,
    attempts: r.attempts,
    nextAttempt: r.next_attempt,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  attempts: number;
}

/** Delay before attempt n+1 after n failed attempts: initial * 2^(n-1), at most max. */
export function backoffMs(failures: number, p: Pick<RetryPolicy, 'initialMs' | 'maxMs'>): number {
  return Math.min(p.maxMs, p.initialMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

export class Outbox {
  constructor(private readonly db: Db) {
    migrate(db, 'mail-outbox', schema);
  }

  /** Records a mail unless its Message-ID is known; returns the stored row either way. */
  record(mail: OutboxMail, state: 'queued' | 'dry-run' | 'dropped', now: number, reason?: string): { inserted: boolean; row: OutboxRow } {
    const res = this.db
      .prepare(
        `INSERT INTO mail_outbox (message_id, series_key, thread, in_reply_to, subject, envelope_from, recipients, lists, raw,
           state, reason, next_attempt, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
      )
      .run(
        mail.messageId,
        mail.seriesKey,
        mail.thread,
        mail.inReplyTo,
        mail.subject,
        mail.envelopeFrom,
        JSON.stringify(mail.recipients),
        JSON.stringify(mail.lists),
        mail.raw,
        state,
        reason ?? null,
        now,
        now,
        now,
      );
    return { inserted: res.changes > 0, row: this.get(mail.messageId) as OutboxRow };
  }

  get(messageId: string): OutboxRow | undefined {
    const r = this.db.prepare('SELECT * FROM mail_outbox WHERE message_id = ?').get(messageId) as DbRow | undefined;
    return r ? toRow(r) : undefined;
  }

  /**
   * Mails to send now: queued ones whose time has come, and uncertain ones whose grace ended
   * without an echo (most likely the server never accepted them). Never a 'sending' one.
   */
  due(now: number, limit = 100): OutboxRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM mail_outbox WHERE state IN ('queued', 'uncertain') AND next_attempt <= ?
         ORDER BY created_at, message_id LIMIT ?`,
      )
      .all(now, limit) as DbRow[];
    return rows.map(toRow);
  }

  /** When the next queued or uncertain mail is due (ms since epoch), if there is one. */
  nextDue(): number | undefined {
    const r = this.db.prepare(`SELECT MIN(next_attempt) AS t FROM mail_outbox WHERE state IN ('queued', 'uncertain')`).get() as { t: number | null };
    return r.t ?? undefined;
  }

  /**
   * On start: mails a crash left 'sending' become 'uncertain' until `now + graceMs`. Only the
   * process that owns the outbox calls this, before it sends anything. Returns them.
   */
  markUncertain(now: number, graceMs: number): OutboxRow[] {
    return this.db.transaction((): OutboxRow[] => {
      const rows = (this.db.prepare(`SELECT * FROM mail_outbox WHERE state = 'sending' ORDER BY created_at, message_id`).all() as DbRow[]).map(toRow);
      this.db
        .prepare(`UPDATE mail_outbox SET state = 'uncertain', reason = ?, next_attempt = ?, updated_at = ? WHERE state = 'sending'`)
        .run('interrupted after the SMTP transaction started; waiting for the list to echo it', now + graceMs, now);
      return rows;
    })();
  }

  /**
   * A message with this Message-ID arrived from a source: if it is a mail handed to the server
   * and not yet known as sent, the server did accept it. Returns the row as it was, when changed.
   */
  confirmEcho(messageId: string, now: number): OutboxRow | undefined {
    const row = this.get(messageId);
    if (!row || row.attempts === 0 || !(['uncertain', 'sending', 'queued', 'failed'] as OutboxState[]).includes(row.state)) return undefined;
    this.db
      .prepare(`UPDATE mail_outbox SET state = 'sent', sent_at = ?, reason = ?, last_error = NULL, updated_at = ? WHERE message_id = ?`)
      .run(now, 'confirmed by its echo from the list', now, messageId);
    return row;
  }

  markSending(messageId: string, now: number): void {
    this.db.prepare(`UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE message_id = ?`).run(now, messageId);
  }

  markSent(messageId: string, now: number): void {
    this.db
      .prepare(`UPDATE mail_outbox SET state = 'sent', sent_at = ?, last_error = NULL, updated_at = ? WHERE message_id = ?`)
      .run(now, now, messageId);
  }

  /**
   * A failed attempt: queued again after the backoff, or failed for good after the last attempt.
   * A mail the list echoed meanwhile stays sent (the error came after the server accepted it).
   */
  markFailed(messageId: string, error: string, now: number, retry: RetryPolicy): OutboxState {
    const row = this.get(messageId);
    if (row && row.state !== 'sending') return row.state;
    const attempts = row?.attempts ?? 1;
    const state: OutboxState = attempts >= retry.attempts ? 'failed' : 'queued';
    this.db
      .prepare(`UPDATE mail_outbox SET state = ?, last_error = ?, next_attempt = ?, updated_at = ? WHERE message_id = ?`)
      .run(state, error.slice(0, 500), now + backoffMs(attempts, retry), now, messageId);
    return state;
  }

  /** Not sent yet for a reason that passes (a rate limit): tried again at `until`, no attempt counted. */
  defer(messageId: string, until: number, reason: string, now: number): void {
    this.db
      .prepare(`UPDATE mail_outbox SET state = 'queued', reason = ?, next_attempt = ?, updated_at = ? WHERE message_id = ?`)
      .run(reason, until, now, messageId);
  }

  /** Mails recorded for a thread since `since` that were not dropped (thread limit). */
  threadCount(thread: string, since: number): number {
    const r = this.db
      .prepare(`SELECT COUNT(*) AS n FROM mail_outbox WHERE thread = ? AND created_at >= ? AND state != 'dropped'`)
      .get(thread, since) as { n: number };
    return r.n;
  }

  /** Mails the server accepted after `since`, in all. */
  sentSince(since: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM mail_outbox WHERE state = 'sent' AND sent_at > ?`).get(since) as { n: number }).n;
  }

  /** Mails to one list the server accepted since `since`. */
  sentToListSince(list: string, since: number): number {
    const r = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM mail_outbox, json_each(mail_outbox.lists)
         WHERE mail_outbox.state = 'sent' AND mail_outbox.sent_at > ? AND json_each.value = ?`,
      )
      .get(since, list) as { n: number };
    return r.n;
  }

  /** The earliest send time inside the window that is holding a limit (when it frees up). */
  oldestSentSince(since: number): number | undefined {
    const r = this.db.prepare(`SELECT MIN(sent_at) AS t FROM mail_outbox WHERE state = 'sent' AND sent_at > ?`).get(since) as { t: number | null };
    return r.t ?? undefined;
  }

  counts(): Partial<Record<OutboxState, number>> {
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM mail_outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
