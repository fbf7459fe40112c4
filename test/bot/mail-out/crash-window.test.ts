// The crash window between the SMTP server's acceptance and marking a mail sent: a mail found
// 'sending' on start is never resent blindly. It waits for the list to echo it (its Message-ID
// stored by the watcher), and is sent once more only when no echo came within mail.uncertainGrace.
// Two database handles on one file stand for the killed process and the restarted one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { MailReporter } from '../../../bot/mail-out/mail-reporter.ts';
import { resolveMailSettings } from '../../../bot/mail-out/settings.ts';
import type { MailSender } from '../../../bot/mail-out/smtp.ts';
import { openDb } from '../../../bot/store/db.ts';
import type { Db } from '../../../bot/store/db.ts';
import { WatchState } from '../../../bot/store/watch-state.ts';
import { silentLogger } from '../../../bot/watch/log.ts';
import { demoReview, mailConfig } from './fixtures.ts';

const MINUTE = 60_000;
const ALLOW = { lists: ['dri-devel@lists.freedesktop.org'], domains: ['kernel.org'] };
const dbs: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Records what it is asked to send; `hang` leaves every send pending, like a process killed mid-send. */
function fakeSender(hang = false): MailSender & { sent: Buffer[] } {
  const sent: Buffer[] = [];
  return {
    sent,
    send: (raw) => {
      sent.push(raw);
      return hang ? new Promise<void>(() => undefined) : Promise.resolve();
    },
    close: () => undefined,
  };
}

function setup(config: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-crash-window-'));
  dirs.push(dir);
  const file = join(dir, 'state.sqlite');
  const settings = resolveMailSettings(mailConfig({ allow: ALLOW, uncertainGrace: '10m', ...config }), { send: true }, {});
  const clock = { t: Date.parse('2026-03-02T10:00:00Z') };
  const lines: Array<{ msg: string; messageId?: string }> = [];
  const log = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l) as { msg: string }) });
  /** A process: its own handle on the state file, its own reporter. */
  const start = (sender: MailSender) => {
    const db = openDb(file);
    dbs.push(db);
    return { db, reporter: new MailReporter({ settings, db, outboxDir: join(dir, 'outbox'), log, sender, now: () => clock.t }) };
  };
  return { start, clock, lines };
}

/** The first process hands the reply to the server and is "killed" before it hears back. */
async function crashMidSend(start: (s: MailSender) => { db: Db; reporter: MailReporter }): Promise<string> {
  const first = fakeSender(true);
  const { reporter } = start(first);
  void reporter.report(demoReview([13]));
  await new Promise((r) => setTimeout(r, 20));
  expect(first.sent).toHaveLength(1);
  expect(reporter.outbox.counts()).toEqual({ sending: 1 });
  return (/^Message-ID: <([^>]+)>/m.exec((first.sent[0] as Buffer).toString()) as RegExpExecArray)[1] as string;
}

/** The watcher stores a message with this id, as it does for every mail from a source. */
function echo(db: Db, messageId: string, locator: string): void {
  new WatchState(db).recordMessage(
    { source: 'imap://list/INBOX', sourceKind: 'imap', locator, contentHash: `hash-${locator}`, raw: Buffer.from('x'), at: 0 },
    { messageId, kind: 'follow-up' },
  );
}

describe('a mail interrupted after the server may have accepted it', () => {
  test('becomes uncertain on restart and is not sent again; the list echo marks it sent', async () => {
    const { start, clock, lines } = setup();
    const id = await crashMidSend(start);
    const again = fakeSender();
    const { db, reporter } = start(again);
    expect(reporter.outbox.get(id)?.state).toBe('uncertain');
    expect(lines.some((l) => l.messageId === id && /waiting for the list to echo it/.test(l.msg))).toBe(true);

    await reporter.flush();
    clock.t += 9 * MINUTE;
    await reporter.flush();
    expect(again.sent).toHaveLength(0);

    echo(db, 'someone-else@example.org', '1');
    expect(reporter.outbox.get(id)?.state).toBe('uncertain');
    echo(db, id, '2');
    expect(reporter.outbox.get(id)?.state).toBe('sent');
    expect(reporter.counts.echoed).toBe(1);
    expect(lines.some((l) => l.messageId === id && l.msg === 'reply seen on the list: marked sent')).toBe(true);

    clock.t += 60 * MINUTE;
    await reporter.flush();
    await reporter.close();
    expect(again.sent).toHaveLength(0);
    expect(reporter.outbox.counts()).toEqual({ sent: 1 });
  });

  test('without an echo it is sent once more when the grace ends, and that is logged', async () => {
    const { start, clock, lines } = setup();
    const id = await crashMidSend(start);
    const again = fakeSender();
    const { reporter } = start(again);
    clock.t += 10 * MINUTE - 1;
    await reporter.flush();
    expect(again.sent).toHaveLength(0);
    clock.t += 1;
    await reporter.flush();
    await reporter.flush();
    await reporter.close();
    expect(again.sent).toHaveLength(1);
    expect(reporter.outbox.get(id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(lines.some((l) => l.messageId === id && /no echo from the list within mail.uncertainGrace/.test(l.msg))).toBe(true);
  });

  test('an echo never marks a mail that was not handed to the server', async () => {
    const { start } = setup();
    const refusing: MailSender = { send: () => Promise.reject(new Error('451 try again')), close: () => undefined };
    const { db, reporter } = start(refusing);
    // Queued with a failed attempt: an echo proves the server took it after all.
    await reporter.report(demoReview([13]));
    const [queued] = reporter.outbox.due(Number.MAX_SAFE_INTEGER);
    expect(queued).toMatchObject({ state: 'queued', attempts: 1 });
    echo(db, queued?.messageId as string, '1');
    expect(reporter.outbox.get(queued?.messageId as string)?.state).toBe('sent');
    // Dry-run mails are never sent, whatever arrives.
    const dry = new MailReporter({ settings: resolveMailSettings(mailConfig({}), {}, {}), db, outboxDir: join(dirs[0] as string, 'outbox'), log: silentLogger() });
    await dry.report(demoReview([14]));
    const written = (db.prepare(`SELECT message_id AS id FROM mail_outbox WHERE state = 'dry-run'`).get() as { id: string }).id;
    echo(db, written, '2');
    expect(dry.outbox.get(written)?.state).toBe('dry-run');
    await dry.close();
    await reporter.close();
  });

  test('mail.uncertainGrace defaults to 30 minutes', () => {
    expect(resolveMailSettings(mailConfig({ allow: ALLOW }), {}, {}).uncertainGraceMs).toBe(30 * MINUTE);
  });
});
