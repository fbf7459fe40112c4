// `deptbot status` shows the mail outbox: counts by state, the mails waiting for the list's echo
// after a crash, and the last failed attempts with their errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openDb } from '../../../bot/store/db.ts';
import { Outbox } from '../../../bot/store/outbox.ts';
import type { OutboxMail } from '../../../bot/store/outbox.ts';
import { readWatchStatus } from '../../../bot/store/watch-status.ts';
import { WatchState } from '../../../bot/store/watch-state.ts';
import { formatStatus } from '../../../bot/watch/status-text.ts';
import { repoRoot } from '../../helpers/corpus.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const RETRY = { initialMs: 60_000, maxMs: 3_600_000, attempts: 2 };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mail = (n: number): OutboxMail => ({
  messageId: `deptbot.${String(n).padStart(32, '0')}@bot.example`,
  seriesKey: 'k',
  thread: 'root@test',
  inReplyTo: `p${n}@test`,
  subject: `Re: [PATCH ${n}/9] demo`,
  envelopeFrom: 'bot@bot.example',
  recipients: ['list@lists.example'],
  lists: ['list@lists.example'],
  raw: Buffer.from('x'),
});

/** A state file with a watch and an outbox holding one mail in each interesting state. */
function stateFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-status-'));
  dirs.push(dir);
  const file = join(dir, 'state.sqlite');
  const db = openDb(file);
  new WatchState(db);
  const o = new Outbox(db);
  o.record(mail(1), 'queued', T0);
  o.markSending(mail(1).messageId, T0);
  o.markSent(mail(1).messageId, T0);
  o.record(mail(2), 'dry-run', T0);
  o.record(mail(3), 'queued', T0);
  o.markSending(mail(3).messageId, T0);
  o.markFailed(mail(3).messageId, '451 try again later', T0 + 1000, RETRY);
  o.record(mail(4), 'queued', T0);
  o.markSending(mail(4).messageId, T0);
  o.markFailed(mail(4).messageId, '550 no such list', T0 + 2000, { ...RETRY, attempts: 1 });
  o.record(mail(5), 'queued', T0);
  o.markSending(mail(5).messageId, T0);
  o.markUncertain(T0 + 3000, 30 * 60_000);
  o.record(mail(6), 'queued', T0);
  db.close();
  return file;
}

describe('deptbot status: the mail outbox', () => {
  test('counts by state, uncertain mails and the last failures, newest first', () => {
    const db = openDb(stateFile(), { readonly: true });
    const status = readWatchStatus(db);
    db.close();
    expect(status.mail?.states).toEqual({ sent: 1, 'dry-run': 1, queued: 2, failed: 1, uncertain: 1 });
    expect(status.mail?.uncertain.map((m) => m.subject)).toEqual(['Re: [PATCH 5/9] demo']);
    expect(status.mail?.failures.map((m) => [m.subject, m.state, m.lastError])).toEqual([
      ['Re: [PATCH 4/9] demo', 'failed', '550 no such list'],
      ['Re: [PATCH 3/9] demo', 'queued', '451 try again later'],
    ]);
    const text = formatStatus(status, 'state.sqlite');
    expect(text).toContain('mail outbox: 2 queued, 1 sending/uncertain, 1 sent, 1 dry-run, 1 failed, 0 dropped');
    expect(text).toContain('sent again at 2026-03-02T10:30:03Z unless the list echoes it): Re: [PATCH 5/9] demo');
    expect(text).toMatch(/^last mail failures \(2\):\n {2}2026-03-02T10:00:02Z \[failed, 1 attempts\] Re: \[PATCH 4\/9\] demo <[^>]+>: 550 no such list$/m);
  });

  test('a state file without mail has no outbox block; the command prints it when there is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-status-'));
    dirs.push(dir);
    const db = openDb(join(dir, 'watch-only.sqlite'));
    new WatchState(db);
    expect(readWatchStatus(db).mail).toBeUndefined();
    expect(formatStatus(readWatchStatus(db), 'x')).not.toContain('mail outbox');
    db.close();
    const text = execFileSync(process.execPath, ['bin/deptbot.js', 'status', '--state', stateFile()], { cwd: repoRoot, encoding: 'utf8' });
    expect(text).toContain('mail outbox: 2 queued, 1 sending/uncertain');
    expect(text).toContain('last mail failures (2):');
  });
});
