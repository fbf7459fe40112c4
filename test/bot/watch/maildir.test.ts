// The watcher on a Maildir as lei writes it: files appearing in new/, moved to cur/ with flags,
// out-of-order arrival while watching, a restart mid-series, and 500 archive messages.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { waitFor } from '../../helpers/dovecot.ts';
import { archiveMessages, makeSeries } from '../../helpers/imap.ts';
import { accounting, outboxFiles, settingsFor, startWatch, statusOf, tempDir } from './helpers.ts';

const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.splice(0).forEach((d) => d.cleanup()));

let files = 0;
function deliver(maildir: string, data: Buffer): string {
  const name = `${Date.now()}.M${++files}P${process.pid}.test`;
  writeFileSync(join(maildir, 'tmp', name), data);
  renameSync(join(maildir, 'tmp', name), join(maildir, 'new', name));
  return name;
}

function setup(over = {}) {
  const t = tempDir('deptbot-md-');
  dirs.push(t);
  const maildir = join(t.dir, 'lei');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  return { maildir, settings: settingsFor(t.dir, [{ type: 'maildir', path: maildir, create: false }], over) };
}

describe('watch over a Maildir', () => {
  test('out-of-order arrival while watching: one review after the last patch; a file moved to cur/ is not new', async () => {
    const { maildir, settings } = setup();
    const w = startWatch(settings);
    const s = makeSeries({ title: 'maildir live', n: 3 });
    const third = deliver(maildir, s.patches[2] as Buffer);
    deliver(maildir, s.cover as Buffer);
    deliver(maildir, s.patches[0] as Buffer);
    await waitFor('3 messages', () => statusOf(settings.statePath).totals.delivered === 3);
    // A mail reader marks one as seen: new/X -> cur/X:2,S. Still the same message.
    renameSync(join(maildir, 'new', third), join(maildir, 'cur', `${third}:2,S`));
    expect(w.collected.reviews).toHaveLength(0);
    deliver(maildir, s.patches[1] as Buffer);
    await waitFor('the review', () => w.collected.reviews.length === 1);
    await w.stop();
    expect(w.collected.reviews[0]?.series.patches.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(statusOf(settings.statePath).totals).toMatchObject({ delivered: 4, duplicates: 0 });
    expect(outboxFiles(settings.outbox)).toHaveLength(1);
  });

  test('stopped mid-series and started again: exactly one review', async () => {
    const { maildir, settings } = setup({ once: true });
    const s = makeSeries({ title: 'maildir restart', n: 2 });
    deliver(maildir, s.cover as Buffer);
    deliver(maildir, s.patches[0] as Buffer);
    const first = startWatch(settings);
    await first.done;
    expect(first.collected.reviews).toHaveLength(0);
    deliver(maildir, s.patches[1] as Buffer);
    const second = startWatch(settings);
    await second.done;
    const third = startWatch(settings);
    await third.done;
    expect(second.collected.reviews).toHaveLength(1);
    expect(third.collected.reviews).toHaveLength(0);
    expect(statusOf(settings.statePath).reviews.count).toBe(1);
  });

  test('a quiet period of 0 reviews what is incomplete at the end of --once, and the late patch alone later', async () => {
    const { maildir, settings } = setup({ once: true, quietMs: 0 });
    const s = makeSeries({ title: 'maildir quiet', n: 2 });
    deliver(maildir, s.cover as Buffer);
    deliver(maildir, s.patches[0] as Buffer);
    const first = startWatch(settings);
    await first.done;
    expect(first.collected.reviews.map((r) => r.series.complete)).toEqual([false]);
    deliver(maildir, s.patches[1] as Buffer);
    const second = startWatch(settings);
    await second.done;
    expect(second.collected.reviews.map((r) => r.series.patches.map((p) => p.index))).toEqual([[2]]);
  });

  test('500 archive messages: status accounts for every one', async () => {
    const { maildir, settings } = setup({ once: true });
    for (const m of await archiveMessages(500)) deliver(maildir, m);
    await startWatch(settings).done;
    const st = statusOf(settings.statePath);
    const a = accounting(st);
    expect(a).toMatchObject({ delivered: 500, accounted: 500 });
    expect(a.reviewedOrWaiting).toBe(a.patches);
  });
});
