// The MailReporter with a real SQLite outbox and a real SMTP server on 127.0.0.1.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MailReporter } from '../../../bot/mail-out/mail-reporter.ts';
import { resolveMailSettings } from '../../../bot/mail-out/settings.ts';
import { redact, smtpSender } from '../../../bot/mail-out/smtp.ts';
import { openDb } from '../../../bot/store/db.ts';
import type { Db } from '../../../bot/store/db.ts';
import { backoffMs } from '../../../bot/store/outbox.ts';
import { silentLogger } from '../../../bot/watch/log.ts';
import { UsageError } from '../../../bot/errors.ts';
import { demoReview, mailConfig } from './fixtures.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';

let sink: SmtpSink;
const open: Array<{ db: Db; dir: string }> = [];
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});
afterEach(() => {
  for (const o of open.splice(0)) {
    o.db.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
  sink.received.splice(0);
});

const ALLOW = { lists: ['dri-devel@lists.freedesktop.org'], domains: ['kernel.org'] };

function setup(config: Record<string, unknown>, flags: { send?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-mail-'));
  const db = openDb(join(dir, 'state.sqlite'));
  open.push({ db, dir });
  let clock = Date.parse('2026-03-02T10:00:00Z');
  const settings = resolveMailSettings(mailConfig({ smtp: { url: sink.url, starttls: 'off' }, ...config }), { ...flags }, {});
  const make = () => new MailReporter({ settings, db, outboxDir: join(dir, 'outbox'), log: silentLogger(), now: () => clock, ...(settings.sending ? { sender: smtpSender(settings.smtp) } : {}) });
  return { dir, db, make, advance: (ms: number) => (clock += ms) };
}

describe('MailReporter', () => {
  test('dry-run (default): one .eml per reply with a safe name; a repeat writes no second mail', async () => {
    const { dir, make } = setup({});
    const r = make();
    await r.report(demoReview([13]));
    await r.report(demoReview([13]));
    await r.close();
    const files = readdirSync(join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^patch1-deptbot-[0-9a-f]{32}\.eml$/);
    expect(r.outbox.counts()).toEqual({ 'dry-run': 1 });
    expect(sink.received).toHaveLength(0);
    const parsed = await simpleParser(readFileSync(join(dir, 'outbox', files[0] as string)));
    // Without an allowlist a dry run shows every recipient a reply-to-all would have.
    expect(parsed.text).toContain('warning [demo/rule]');
  });

  test('dry-run: a mail recorded before a crash gets its .eml on the re-review, from the stored text', async () => {
    const { dir, make } = setup({});
    const first = make();
    await first.report(demoReview([13]));
    await first.close();
    const [name] = readdirSync(join(dir, 'outbox'));
    const stored = readFileSync(join(dir, 'outbox', name as string), 'utf8');
    // The crash window: the outbox row exists, the file does not.
    rmSync(join(dir, 'outbox', name as string));
    const again = make();
    await again.report(demoReview([13]));
    await again.close();
    expect(readdirSync(join(dir, 'outbox'))).toEqual([name]);
    expect(readFileSync(join(dir, 'outbox', name as string), 'utf8')).toBe(stored);
    expect(again.outbox.counts()).toEqual({ 'dry-run': 1 });
  });

  test('--send without an allowlist is refused', () => {
    expect(() => resolveMailSettings(mailConfig({}), { send: true }, {})).toThrow(UsageError);
  });

  test('sent by SMTP: envelope only inside the allowlist, threading and bot headers intact', async () => {
    const { make } = setup({ allow: ALLOW }, { send: true });
    const r = make();
    await r.report(demoReview([13]));
    await r.close();
    expect(sink.received).toHaveLength(1);
    const got = sink.received[0]!;
    expect(got.to.sort()).toEqual(['dri-devel@lists.freedesktop.org', 'maint@kernel.org']);
    const m = await simpleParser(got.raw);
    expect(m.inReplyTo).toBe('<demo-fix-v1-1@test>');
    expect(m.references).toEqual(['<demo-fix-v1-0@test>', '<demo-fix-v1-1@test>']);
    expect(m.subject).toBe('Re: [PATCH 1/2] demo: fix things part 1');
    expect(m.headers.get('auto-submitted')).toBe('auto-generated');
    expect(m.headers.get('x-deptbot-version')).toBeTruthy();
    expect(m.messageId).toMatch(/^<deptbot\.[0-9a-f]{32}@deptbot\.example>$/);
    // The author (ada@example.org) is outside the allowlist: a list takes the To.
    expect((Array.isArray(m.to) ? m.to[0] : m.to)?.value.map((a) => a.address)).toEqual(['dri-devel@lists.freedesktop.org']);
    expect(r.outbox.counts()).toEqual({ sent: 1 });
  });

  test('a sent mail is never sent again, even when the review repeats in a new process', async () => {
    const { make } = setup({ allow: ALLOW }, { send: true });
    const a = make();
    await a.report(demoReview([13]));
    await a.close();
    const b = make();
    await b.report(demoReview([13]));
    await b.close();
    expect(sink.received).toHaveLength(1);
  });

  test('a temporary failure is retried after the backoff, and delivered once', async () => {
    const { make, advance } = setup({ allow: ALLOW, retry: { initial: '30s', max: '10m', attempts: 5 } }, { send: true });
    sink.failNext(1);
    const r = make();
    await r.report(demoReview([13]));
    expect(sink.received).toHaveLength(0);
    expect(r.outbox.counts()).toEqual({ queued: 1 });
    await r.flush();
    expect(sink.received).toHaveLength(0); // not due yet
    advance(30_000);
    await r.flush();
    await r.close();
    expect(sink.received).toHaveLength(1);
    expect(r.outbox.counts()).toEqual({ sent: 1 });
    expect([1, 2, 3, 10].map((n) => backoffMs(n, { initialMs: 30_000, maxMs: 600_000 }))).toEqual([30_000, 60_000, 120_000, 600_000]);
  });

  test('the hourly limit delays the rest to the next hour', async () => {
    const { make, advance } = setup({ allow: ALLOW, limits: { perHour: 1 } }, { send: true });
    const r = make();
    await r.report(demoReview([13]));
    await r.report(demoReview([14]));
    expect(sink.received).toHaveLength(1);
    expect(r.outbox.counts()).toEqual({ sent: 1, queued: 1 });
    advance(3_600_000);
    await r.flush();
    await r.close();
    expect(sink.received).toHaveLength(2);
  });

  test('the thread limit drops mails over it', async () => {
    const { make } = setup({ allow: ALLOW, limits: { perThread: 1 } }, { send: true });
    const r = make();
    await r.report(demoReview([13]));
    await r.report(demoReview([14]));
    await r.close();
    expect(sink.received).toHaveLength(1);
    expect(r.outbox.counts()).toEqual({ sent: 1, dropped: 1 });
  });

  test('kill switch: nothing is sent even with --send; the .eml is still written', async () => {
    const { dir, make } = setup({ allow: ALLOW, enabled: false }, { send: true });
    const r = make();
    await r.report(demoReview([13]));
    await r.close();
    expect(sink.received).toHaveLength(0);
    expect(readdirSync(join(dir, 'outbox'))).toHaveLength(1);
  });

  test('no reply to bots or automated mail, and none when the allowlist leaves nobody', async () => {
    const { make } = setup({ allow: { lists: [], domains: ['nowhere.example'] } }, { send: true });
    const r = make();
    await r.report(demoReview([13]));
    await r.report(demoReview([14], { from: { name: 'kernel test robot', address: 'lkp@intel.com' } }));
    const auto = demoReview([15]);
    auto.series.patches[0]!.message.headers.set('auto-submitted', 'auto-generated');
    await r.report(auto);
    await r.close();
    expect(sink.received).toHaveLength(0);
    expect(r.outbox.counts()).toEqual({ dropped: 3 });
  });

  test('the SMTP password never reaches the outbox, its errors or the logs', async () => {
    const secret = 'Tok-3f9a1c77e2-secret';
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-mail-'));
    const db = openDb(join(dir, 'state.sqlite'));
    open.push({ db, dir });
    const settings = resolveMailSettings(mailConfig({ smtp: { url: sink.url, starttls: 'off' }, allow: ALLOW }), { send: true }, {
      DEPTBOT_SMTP_USER: 'deptbot',
      DEPTBOT_SMTP_PASSWORD: secret,
    });
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (l: string) => lines.push(l) });
    const r = new MailReporter({ settings, db, outboxDir: join(dir, 'outbox'), log });
    await r.report(demoReview([13]));
    await r.close();
    const row = db.prepare('SELECT * FROM mail_outbox').get() as { last_error: string | null; raw: Buffer };
    expect(r.counts.sent + r.counts.failed + (row.last_error ? 1 : 0)).toBeGreaterThan(0);
    const everything = [JSON.stringify(row), row.raw.toString(), lines.join('\n'), readFileSync(join(dir, 'state.sqlite')).toString('latin1'), readFileSync(join(dir, 'state.sqlite-wal')).toString('latin1')].join('\n');
    expect(everything).not.toContain(secret);
  });

  test('secrets are redacted from error text', () => {
    expect(redact('535 auth failed for s3cret-pw', ['s3cret-pw'])).toBe('535 auth failed for ***');
  });
});
