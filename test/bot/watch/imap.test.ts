// The watcher against a real Dovecot: out-of-order arrival over two connections, a server restart
// in the middle of a backlog, a deleted and recreated mailbox, and 500 archive messages.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Series } from '../../../bot/model.ts';
import { dovecotAvailable, startDovecot, waitFor } from '../../helpers/dovecot.ts';
import type { Dovecot } from '../../helpers/dovecot.ts';
import { appendMessages, archiveMessages, imapClient, makeSeries } from '../../helpers/imap.ts';
import { repoRoot } from '../../helpers/corpus.ts';
import { accounting, fakeReview, outboxFiles, settingsFor, startWatch, statusOf, tempDir, testStages } from './helpers.ts';

const dirs: Array<{ cleanup(): void }> = [];
let dovecot: Dovecot;

beforeAll(async () => {
  dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.destroy();
  dirs.splice(0).forEach((d) => d.cleanup());
});

let folders = 0;
async function newFolder(): Promise<string> {
  const name = `watch${++folders}`;
  const c = await imapClient(dovecot);
  await c.mailboxCreate(name);
  await c.logout();
  return name;
}

function workDir(): string {
  const t = tempDir();
  dirs.push(t);
  return t.dir;
}

describe.skipIf(!dovecotAvailable())('watch over IMAP (Dovecot)', () => {
  test('cover and 3 patches out of order over two connections: exactly one review, after the last patch', async () => {
    const folder = await newFolder();
    const dir = workDir();
    const settings = settingsFor(dir, [{ type: 'imap', url: dovecot.url(folder) }]);
    const w = startWatch(settings);
    const s = makeSeries({ title: 'two connections', n: 3 });
    const [p1, p2, p3] = s.patches as [Buffer, Buffer, Buffer];
    await appendMessages(dovecot, [p3, s.cover as Buffer], folder);
    await appendMessages(dovecot, [p1], folder);
    await waitFor('3 messages stored', () => statusOf(settings.statePath).totals.delivered === 3);
    expect(w.collected.reviews).toHaveLength(0);
    await appendMessages(dovecot, [p2], folder);
    await waitFor('the review', () => w.collected.reviews.length === 1);
    await w.stop();
    expect(w.collected.reviews).toHaveLength(1);
    expect(w.collected.reviews[0]?.series.patches.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(outboxFiles(settings.outbox)).toHaveLength(1);
    const st = statusOf(settings.statePath);
    expect(st.reviews.count).toBe(1);
    expect(st.sources[0]?.checkpoint).toMatch(/^\d+:4$/);
    // Processed mail carries the keyword; nothing was moved or deleted.
    const c = await imapClient(dovecot);
    await c.mailboxOpen(folder);
    const flagged = await c.search({ keyword: '$DeptbotSeen' }, { uid: true });
    const all = await c.search({ all: true }, { uid: true });
    await c.logout();
    expect(all).toHaveLength(4);
    expect(flagged).toHaveLength(4);
  });

  test('Dovecot stopped and restarted mid-backlog: the watch resumes with no duplicate and no loss', async () => {
    const folder = await newFolder();
    const dir = workDir();
    const series = Array.from({ length: 20 }, (_, i) => makeSeries({ title: `backlog ${i}`, n: 2 }));
    await appendMessages(dovecot, series.flatMap((s) => [s.cover as Buffer, ...s.patches]), folder);
    // The 5th review waits until the server is down, so the backlog is cut in the middle.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached = false;
    const stages = testStages(async (s: Series) => {
      if (s.title === 'backlog 4') {
        reached = true;
        await gate;
      }
      return fakeReview(s);
    });
    const settings = settingsFor(dir, [{ type: 'imap', url: dovecot.url(folder) }]);
    const w = startWatch(settings, stages);
    await waitFor('the 5th series', () => reached);
    await dovecot.stop();
    release();
    await waitFor('an error recorded for the lost connection', () => statusOf(settings.statePath).errors.length > 0);
    await dovecot.start();
    const late = makeSeries({ title: 'after restart', n: 2 });
    await appendMessages(dovecot, [late.cover as Buffer, ...late.patches], folder);
    await waitFor('21 reviews', () => w.collected.reviews.length >= 21, 60_000);
    await w.stop();
    const titles = w.collected.reviews.map((r) => r.series.title);
    expect(new Set(titles).size).toBe(21);
    expect(titles).toHaveLength(21);
    const st = statusOf(settings.statePath);
    expect(st.totals).toMatchObject({ delivered: 63, duplicates: 0, quarantined: 0 });
    expect(st.reviews.count).toBe(21);
  });

  test('mailbox deleted and recreated (new UIDVALIDITY): no review is duplicated', async () => {
    const folder = await newFolder();
    const dir = workDir();
    const settings = settingsFor(dir, [{ type: 'imap', url: dovecot.url(folder) }]);
    const w = startWatch(settings);
    const first = makeSeries({ title: 'before recreate', n: 2 });
    const firstMail = [first.cover as Buffer, ...first.patches];
    await appendMessages(dovecot, firstMail, folder);
    await waitFor('first review', () => w.collected.reviews.length === 1);
    const oldValidity = statusOf(settings.statePath).sources[0]?.checkpoint?.split(':')[0];
    const c = await imapClient(dovecot);
    await c.mailboxDelete(folder);
    await new Promise((r) => setTimeout(r, 1100)); // Dovecot derives UIDVALIDITY from the clock
    await c.mailboxCreate(folder);
    await c.logout();
    const second = makeSeries({ title: 'after recreate', n: 2 });
    await appendMessages(dovecot, [...firstMail, second.cover as Buffer, ...second.patches], folder);
    await waitFor('second review', () => w.collected.reviews.length >= 2, 60_000);
    await waitFor('the resync', () => statusOf(settings.statePath).totals.delivered === 9);
    await w.stop();
    const st = statusOf(settings.statePath);
    expect(st.sources[0]?.checkpoint?.split(':')[0]).not.toBe(oldValidity);
    expect(w.collected.reviews.map((r) => r.series.title)).toEqual(['before recreate', 'after recreate']);
    expect(st.totals).toMatchObject({ delivered: 9, duplicates: 3 });
    expect(st.reviews.count).toBe(2);
  });

  test('500 archive messages: `deptbot status` accounts for every one', async () => {
    const folder = await newFolder();
    const dir = workDir();
    const messages = await archiveMessages(500);
    expect(messages).toHaveLength(500);
    await appendMessages(dovecot, messages, folder);
    const settings = settingsFor(dir, [{ type: 'imap', url: dovecot.url(folder) }], { once: true });
    const w = startWatch(settings);
    await w.done;
    const out = execFileSync(process.execPath, ['bin/deptbot.js', 'status', '--state', settings.statePath, '--json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const st = JSON.parse(out) as ReturnType<typeof statusOf>;
    const a = accounting(st);
    expect(a).toMatchObject({ delivered: 500, accounted: 500 });
    expect(a.reviewedOrWaiting).toBe(a.patches);
    expect(st.totals.delivered).toBe(500);
    expect(st.sources[0]?.checkpoint).toMatch(/:500$/);
  });
});
