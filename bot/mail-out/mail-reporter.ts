// The mail bot behind the Reporter interface: each review is composed into replies, each reply is
// checked against the safety policy and recorded in the outbox (the state database) before
// anything else happens; then it is either written as an .eml file (dry-run, kill switch) or sent
// by SMTP, retried with backoff, and marked sent once the server accepted it. A mail a crash left
// mid-transaction is never resent blindly: it waits for the list to echo it (see outbox.ts).
import type { Review } from '../model.ts';
import type { Reporter } from '../reporters/types.ts';
import type { Db } from '../store/db.ts';
import { onMessageStored } from '../store/message-events.ts';
import { Outbox } from '../store/outbox.ts';
import type { OutboxMail, OutboxRow } from '../store/outbox.ts';
import { oneLine } from '../errors.ts';
import type { Logger } from '../watch/log.ts';
import { VERSION } from '../version.ts';
import { composeReview } from './compose.ts';
import { crashPoint } from '../watch/crash-points.ts';
import { emlFileName, writeEml } from './eml.ts';
import { applyAllowlist } from './recipients.ts';
import { envelopeOf, renderMail } from './render.ts';
import { checkRate, replyForbidden } from './safety.ts';
import type { MailSettings } from './settings.ts';
import type { MailSender } from './smtp.ts';
import { smtpSender } from './smtp.ts';
import type { OutgoingMail } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface MailReporterOptions {
  settings: MailSettings;
  db: Db;
  /** Where dry-run .eml files go (the watcher's outbox directory). */
  outboxDir: string;
  log: Logger;
  /** Delivery; defaults to SMTP from the settings when sending. */
  sender?: MailSender;
  now?: () => number;
}

export interface MailCounts {
  composed: number;
  queued: number;
  written: number;
  dropped: number;
  sent: number;
  failed: number;
  /** Mails a crash left uncertain that the list's echo showed as sent. */
  echoed: number;
}

export class MailReporter implements Reporter {
  readonly counts: MailCounts = { composed: 0, queued: 0, written: 0, dropped: 0, sent: 0, failed: 0, echoed: 0 };
  readonly outbox: Outbox;
  private readonly now: () => number;
  private readonly sender?: MailSender;
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly stopListening: () => void;

  constructor(private readonly opts: MailReporterOptions) {
    this.outbox = new Outbox(opts.db);
    this.now = opts.now ?? Date.now;
    const s = opts.settings;
    if (s.killed) opts.log.warn('mail.enabled is false (kill switch): nothing is sent; replies are written as .eml files');
    else if (!s.sending) opts.log.info({ outbox: opts.outboxDir }, 'mail dry-run: replies are written as .eml files (--send to deliver)');
    const now = this.now();
    for (const row of this.outbox.markUncertain(now, s.uncertainGraceMs)) {
      opts.log.warn(
        { messageId: row.messageId, subject: row.subject, until: new Date(now + s.uncertainGraceMs).toISOString() },
        'reply interrupted mid-send by a crash: waiting for the list to echo it before sending it again',
      );
    }
    this.stopListening = onMessageStored(opts.db, (id) => this.echoSeen(id));
    if (s.sending) {
      this.sender = opts.sender ?? smtpSender(s.smtp);
      // Mails recorded but not sent before a crash or a stop go out first.
      this.schedule(0);
    }
  }

  async report(review: Review): Promise<void> {
    const now = this.now();
    for (const mail of composeReview(review, { ...this.opts.settings.compose, now: new Date(now) })) {
      this.counts.composed++;
      this.admit(mail, now);
    }
    if (this.sender) await this.flush();
  }

  /** A message with this id came from a source: one of ours the server had accepted after all. */
  private echoSeen(messageId: string): void {
    const was = this.outbox.confirmEcho(messageId, this.now());
    if (!was) return;
    this.counts.echoed++;
    this.opts.log.info({ messageId, was: was.state, subject: was.subject }, 'reply seen on the list: marked sent');
  }

  /** Safety policy, then the outbox: queued (sending), written (dry-run) or dropped, with the reason. */
  private admit(mail: OutgoingMail, now: number): void {
    const { settings: s, log } = this.opts;
    const known = this.outbox.get(mail.messageId);
    if (known) {
      // A crash between recording a dry-run mail and writing its file leaves no .eml; the file is
      // written atomically from the stored text, so writing it again on the re-review is safe.
      if (known.state === 'dry-run') writeEml(this.opts.outboxDir, emlFileName(mail.messageId, mail.patch), known.raw);
      log.debug({ messageId: mail.messageId, state: known.state }, 'mail already in the outbox');
      return;
    }
    let { to, cc } = mail;
    let droppedAddresses: string[] = [];
    if (s.enforceAllowlist) ({ to, cc, dropped: droppedAddresses } = applyAllowlist({ to, cc }, s.policy.allow));
    if (to.length === 0 && cc.length > 0) [to, cc] = [cc.slice(0, 1), cc.slice(1)];
    const final: OutgoingMail = { ...mail, to, cc };
    const forbidden = replyForbidden(mail.parent, { self: s.from, bots: s.bots });
    let reason = forbidden ? `not answered: ${forbidden}` : to.length === 0 ? 'no recipient is allowed by mail.allow' : undefined;
    if (!reason && this.outbox.threadCount(mail.thread, now - DAY) >= s.limits.perThread) {
      reason = `rate limit: ${s.limits.perThread} mails in this thread today`;
    }
    const raw = renderMail(final, VERSION);
    const envelope = envelopeOf(final);
    const entry: OutboxMail = {
      messageId: mail.messageId,
      seriesKey: mail.seriesKey,
      thread: mail.thread,
      inReplyTo: mail.inReplyTo,
      subject: mail.subject,
      envelopeFrom: envelope.from,
      recipients: envelope.to,
      lists: envelope.to.map((a) => a.toLowerCase()).filter((a) => s.policy.allow.lists.includes(a)),
      raw,
    };
    const state = reason ? 'dropped' : this.sender ? 'queued' : 'dry-run';
    const { row } = this.outbox.record(entry, state, now, reason);
    crashPoint('mail-recorded');
    const fields = { messageId: mail.messageId, subject: mail.subject, to: envelope.to.length, ...(droppedAddresses.length > 0 ? { droppedAddresses } : {}) };
    if (row.state === 'dropped') {
      this.counts.dropped++;
      log.info({ ...fields, reason }, 'reply not sent');
    } else if (row.state === 'dry-run') {
      const path = writeEml(this.opts.outboxDir, emlFileName(mail.messageId, mail.patch), row.raw);
      this.counts.written++;
      log.info({ ...fields, path }, 'reply written (dry-run)');
    } else {
      this.counts.queued++;
      log.debug(fields, 'reply queued');
    }
  }

  /** Sends every due mail, one at a time; concurrent calls wait for each other. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.deliverDue());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async deliverDue(): Promise<void> {
    const sender = this.sender;
    if (!sender || this.closed) return;
    for (const row of this.outbox.due(this.now(), 500)) {
      const now = this.now();
      const wait = this.rateWait(row, now);
      if (wait) {
        this.outbox.defer(row.messageId, wait.until, wait.reason, now);
        this.opts.log.info({ messageId: row.messageId, until: new Date(wait.until).toISOString(), reason: wait.reason }, 'reply delayed');
        continue;
      }
      if (row.state === 'uncertain') {
        this.opts.log.warn({ messageId: row.messageId, subject: row.subject }, 'no echo from the list within mail.uncertainGrace: sending the interrupted reply once more');
      }
      this.outbox.markSending(row.messageId, now);
      try {
        await sender.send(row.raw, { from: row.envelopeFrom, to: row.recipients });
      } catch (err) {
        const state = this.outbox.markFailed(row.messageId, oneLine(err), this.now(), this.opts.settings.retry);
        if (state === 'failed') this.counts.failed++;
        this.opts.log.warn({ messageId: row.messageId, err: oneLine(err), state }, 'sending a reply failed');
        continue;
      }
      crashPoint('mail-accepted');
      if (this.outbox.get(row.messageId)?.state === 'sent') continue; // echoed during the transaction
      this.outbox.markSent(row.messageId, this.now());
      this.counts.sent++;
      this.opts.log.info({ messageId: row.messageId, subject: row.subject, to: row.recipients.length }, 'reply sent');
    }
    this.schedule();
  }

  /** When a list or hourly limit holds a mail back: until when, and why. */
  private rateWait(row: OutboxRow, now: number): { until: number; reason: string } | undefined {
    const since = now - HOUR;
    const lists = Object.fromEntries(row.lists.map((l) => [l, this.outbox.sentToListSince(l, since)]));
    const verdict = checkRate({ thread: 0, lists, hour: this.outbox.sentSince(since) }, this.opts.settings.limits);
    if (verdict.ok) return undefined;
    return { until: (this.outbox.oldestSentSince(since) ?? now) + HOUR, reason: `rate limit: ${verdict.detail}` };
  }

  /** Wakes up for the next retry or delayed mail. */
  private schedule(delayMs?: number): void {
    if (!this.sender || this.closed) return;
    clearTimeout(this.timer);
    const next = this.outbox.nextDue();
    const delay = delayMs ?? (next === undefined ? undefined : Math.max(0, next - this.now()));
    if (delay === undefined) return;
    this.timer = setTimeout(() => void this.flush().catch((err: unknown) => this.opts.log.error({ err: oneLine(err) }, 'mail delivery failed')), Math.min(delay, 2 ** 31 - 1));
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.stopListening();
    clearTimeout(this.timer);
    await this.chain;
    this.closed = true;
    clearTimeout(this.timer);
    this.sender?.close();
  }
}
