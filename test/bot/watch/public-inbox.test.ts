// The watcher on a public-inbox git mirror built by the test: commits after the stored one,
// removal commits, a rewritten history, a fetch from upstream, and 500 archive messages.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { archiveMessages, makeSeries } from '../../helpers/imap.ts';
import { accounting, outboxFiles, settingsFor, startWatch, statusOf, tempDir, TestPublicInbox } from './helpers.ts';
import { waitFor } from '../../helpers/dovecot.ts';

const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.splice(0).forEach((d) => d.cleanup()));

function setup() {
  const t = tempDir('deptbot-pi-');
  dirs.push(t);
  const inbox = new TestPublicInbox(join(t.dir, '0.git'));
  const settings = settingsFor(t.dir, [{ type: 'public-inbox', path: inbox.gitDir, fetch: [] }], { once: true });
  return { dir: t.dir, inbox, settings };
}

describe('watch over a public-inbox mirror', () => {
  test('a series split over two runs, with a removal commit between: one review, after the last patch', async () => {
    const { inbox, settings } = setup();
    const s = makeSeries({ title: 'pi series', n: 3 });
    inbox.add([s.patches[2] as Buffer, s.cover as Buffer, null, s.patches[0] as Buffer]);
    const first = startWatch(settings);
    await first.done;
    expect(first.collected.reviews).toHaveLength(0);
    expect(statusOf(settings.statePath).sources[0]?.checkpoint).toBe(inbox.head());
    inbox.add([s.patches[1] as Buffer]);
    const second = startWatch(settings);
    await second.done;
    expect(second.collected.reviews).toHaveLength(1);
    expect(second.collected.reviews[0]?.series.patches.map((p) => p.index)).toEqual([1, 2, 3]);
    const third = startWatch(settings);
    await third.done;
    expect(third.collected.reviews).toHaveLength(0);
    expect(outboxFiles(settings.outbox)).toHaveLength(1);
    expect(statusOf(settings.statePath).totals.delivered).toBe(4);
  });

  test('a rewritten history is read again without a second review', async () => {
    const { inbox, settings } = setup();
    const s = makeSeries({ title: 'rewritten', n: 2 });
    const mail = [s.cover as Buffer, ...s.patches];
    inbox.add(mail);
    await startWatch(settings).done;
    // Replace the branch with a new history holding the same messages plus a new series.
    execFileSync('git', ['update-ref', '-d', 'refs/heads/master'], { cwd: inbox.gitDir });
    const fresh = new TestPublicInbox(inbox.gitDir);
    const t = makeSeries({ title: 'new after rewrite', n: 1, cover: false });
    fresh.add([...mail, t.patches[0] as Buffer]);
    const again = startWatch(settings);
    await again.done;
    expect(again.collected.reviews.map((r) => r.series.title)).toEqual(['test: new after rewrite part 1']);
    expect(statusOf(settings.statePath).reviews.count).toBe(2);
  });

  test('the fetch command brings new commits from upstream before each poll (live)', async () => {
    const { dir, inbox } = setup();
    const mirror = join(dir, 'mirror.git');
    const s = makeSeries({ title: 'fetched', n: 2 });
    inbox.add([s.cover as Buffer]);
    execFileSync('git', ['clone', '--quiet', '--mirror', inbox.gitDir, mirror]);
    const settings = settingsFor(dir, [{ type: 'public-inbox', path: mirror }], { statePath: join(dir, 'live.sqlite') });
    const w = startWatch(settings);
    await waitFor('the cover', () => statusOf(settings.statePath).totals.delivered === 1);
    inbox.add(s.patches);
    await waitFor('the review', () => w.collected.reviews.length === 1);
    await w.stop();
    expect(statusOf(settings.statePath).totals.delivered).toBe(3);
  });

  test('500 archive messages: status accounts for every one', async () => {
    const { inbox, settings } = setup();
    inbox.add(await archiveMessages(500));
    await startWatch(settings).done;
    const st = statusOf(settings.statePath);
    const a = accounting(st);
    expect(a).toMatchObject({ delivered: 500, accounted: 500 });
    expect(a.reviewedOrWaiting).toBe(a.patches);
    expect(st.sources[0]?.checkpoint).toBe(inbox.head());
  });
});
