// End to end with real servers: a corpus series is appended to Dovecot; `deptbot watch --send`
// (a child process, real rules) reviews it and mails the reply to an SMTP server on 127.0.0.1; the
// test delivers that reply back into the same mailbox and the bot does not answer it. Then the bot
// is killed (SIGKILL) between recording a mail and sending it, restarted, and exactly one copy
// arrives; and killed after the server accepted a mail but before marking it sent: the restarted
// bot waits for the list's echo of that mail instead of sending it a second time.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { splitMbox } from '../../../bot/sources/mbox-split.ts';
import { openDb } from '../../../bot/store/db.ts';
import { Outbox } from '../../../bot/store/outbox.ts';
import { corpusPath, repoRoot } from '../../helpers/corpus.ts';
import { dovecotAvailable, startDovecot, waitFor } from '../../helpers/dovecot.ts';
import type { Dovecot } from '../../helpers/dovecot.ts';
import { appendMessages, imapClient } from '../../helpers/imap.ts';
import { statusOf } from '../watch/helpers.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';

let dovecot: Dovecot;
let sink: SmtpSink;
let work: string;
let series: Buffer[];

beforeAll(async () => {
  if (!dovecotAvailable()) return;
  dovecot = await startDovecot();
  sink = await startSmtpSink();
  work = mkdtempSync(join(tmpdir(), 'deptbot-mail-e2e-'));
  series = [];
  for await (const m of splitMbox(createReadStream(corpusPath('series/cma-dmem-v2.mbox')), 64 * 1024 * 1024)) series.push(m.data);
});
afterAll(async () => {
  await dovecot?.destroy();
  await sink?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const PATCH1 = '20260218-dmabuf-heap-cma-dmem-v2-1-b249886fb7b2@redhat.com';

function writeConfig(dir: string): string {
  const file = join(dir, 'deptbot.config.yaml');
  writeFileSync(
    file,
    [
      'mail:',
      "  from: 'deptbot <deptbot@bot.example>'",
      '  smtp:',
      '    starttls: off',
      '  allow:',
      '    lists: [linaro-mm-sig@lists.linaro.org]',
      '    domains: [kernel.org]',
      '',
    ].join('\n'),
  );
  return file;
}

interface Bot {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

function startBot(dir: string, folder: string, extraEnv: Record<string, string> = {}): Bot {
  const child = spawn(
    process.execPath,
    [
      'bin/deptbot.js', 'watch', '--imap', dovecot.url(folder), '--state', join(dir, 'state.sqlite'), '--outbox', join(dir, 'outbox'),
      '--config', writeConfig(dir), '--send', '--smtp', sink.url, '--quiet-period', '1h', '--log-level', 'debug',
    ],
    { cwd: repoRoot, env: { ...process.env, DEPTBOT_IMAP_PASSWORD: dovecot.password, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => err };
}

async function stopBot(bot: Bot): Promise<void> {
  if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGTERM');
  await bot.exited;
}

async function newFolder(name: string): Promise<string> {
  const c = await imapClient(dovecot);
  await c.mailboxCreate(name);
  await c.logout();
  return name;
}

/** A bot in a new folder, killed at a mail crash point while the series comes in. */
async function crashedRun(point: string, name: string): Promise<{ dir: string; folder: string; before: number }> {
  const dir = mkdtempSync(join(work, `${name}-`));
  const folder = await newFolder(name);
  const before = sink.received.length;
  const first = startBot(dir, folder, { DEPTBOT_TEST_CRASH_AT: point });
  await appendMessages(dovecot, series, folder);
  expect((await first.exited).signal).toBe('SIGKILL');
  return { dir, folder, before };
}

function outboxCounts(dir: string) {
  const db = openDb(join(dir, 'state.sqlite'));
  try {
    return new Outbox(db).counts();
  } finally {
    db.close();
  }
}

describe.skipIf(!dovecotAvailable())('mail bot end to end (Dovecot + SMTP)', () => {
  test('watch reviews, sends one threaded reply, sees its own reply come back and does not answer it', async () => {
    const dir = mkdtempSync(join(work, 'a-'));
    const folder = await newFolder('e2e');
    const bot = startBot(dir, folder);
    try {
      await appendMessages(dovecot, series, folder);
      await waitFor('the reply at the SMTP server', () => sink.received.length >= 1, 60_000);
      await waitFor('the review recorded', () => statusOf(join(dir, 'state.sqlite')).reviews.count === 1, 30_000);
      expect(sink.received).toHaveLength(1);
      const got = sink.received[0]!;
      // Only allowed recipients: the list and kernel.org people; the redhat.com author is dropped.
      expect(got.to).toContain('linaro-mm-sig@lists.linaro.org');
      expect(got.to.every((a) => a === 'linaro-mm-sig@lists.linaro.org' || /[@.]kernel\.org$/.test(a))).toBe(true);

      // Deliver the reply back into the list's mailbox, as the list would.
      await appendMessages(dovecot, [got.raw], folder);
      await waitFor('the reply stored as a follow-up', () => (statusOf(join(dir, 'state.sqlite')).messages['follow-up'] ?? 0) >= 1, 30_000);
      await stopBot(bot);
      expect(sink.received).toHaveLength(1);
      expect(outboxCounts(dir)).toEqual({ sent: 1 });

      // Threading and headers, read back from the mailbox.
      const c = await imapClient(dovecot);
      await c.mailboxOpen(folder);
      const replies: Buffer[] = [];
      for await (const m of c.fetch({ header: { 'auto-submitted': 'auto-generated' } }, { source: true })) if (m.source) replies.push(m.source);
      await c.logout();
      expect(replies).toHaveLength(1);
      const reply = await simpleParser(replies[0] as Buffer);
      expect(reply.subject).toBe('Re: [PATCH v2 1/3] cma: Register dmem region for each cma region');
      expect(reply.inReplyTo).toBe(`<${PATCH1}>`);
      expect(reply.references).toEqual(['<20260218-dmabuf-heap-cma-dmem-v2-0-b249886fb7b2@redhat.com>', `<${PATCH1}>`]);
      expect(reply.headers.get('x-deptbot-version')).toBeTruthy();
      expect(reply.text).toContain('warning [cma/region-lifecycle]');
      expect(reply.text).toMatch(/^> \+\tdmem_cgroup_unregister_region\(region\);$/m);
    } finally {
      await stopBot(bot);
    }
  });

  test('killed between recording the mail and sending it: after a restart exactly one copy is delivered', async () => {
    const { dir, folder, before } = await crashedRun('mail-recorded', 'crash');
    expect(sink.received.length - before).toBe(0);
    expect(outboxCounts(dir)).toEqual({ queued: 1 });

    const second = startBot(dir, folder);
    try {
      await waitFor('the review recorded after the restart', () => statusOf(join(dir, 'state.sqlite')).reviews.count === 1, 60_000);
      await waitFor('the mail sent', () => outboxCounts(dir).sent === 1, 30_000);
    } finally {
      await stopBot(second);
    }
    expect(sink.received.length - before).toBe(1);
    expect(outboxCounts(dir)).toEqual({ sent: 1 });
  });

  test('killed after the server accepted the mail: the restart waits for the echo and sends no second copy', async () => {
    const { dir, folder, before } = await crashedRun('mail-accepted', 'accepted');
    expect(sink.received.length - before).toBe(1);
    expect(outboxCounts(dir)).toEqual({ sending: 1 });

    // The default grace (30 minutes) outlasts the test: only the echo can settle the mail.
    const second = startBot(dir, folder);
    try {
      await waitFor('the mail marked uncertain', () => outboxCounts(dir).uncertain === 1, 30_000);
      await appendMessages(dovecot, [sink.received[before]!.raw], folder);
      await waitFor('the echo marks the mail sent', () => outboxCounts(dir).sent === 1, 30_000);
    } finally {
      await stopBot(second);
    }
    expect(second.stderr()).toContain('reply seen on the list: marked sent');
    expect(sink.received.length - before).toBe(1);
    expect(outboxCounts(dir)).toEqual({ sent: 1 });
  });
});
