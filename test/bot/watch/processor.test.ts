// The watcher's core without a server: completion, quiet period, late patches, new revisions,
// quarantine and the crash window between reporting and recording.
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Reporter } from '../../../bot/reporters/types.ts';
import { openDb } from '../../../bot/store/db.ts';
import { WatchState } from '../../../bot/store/watch-state.ts';
import { silentLogger } from '../../../bot/watch/log.ts';
import { OutboxReporter } from '../../../bot/watch/outbox-reporter.ts';
import { WatchProcessor } from '../../../bot/watch/processor.ts';
import { makeSeries } from '../../helpers/imap.ts';
import { CollectingReporter, outboxFiles, tempDir, testStages } from './helpers.ts';

const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function setup(reporters: Reporter[] = [], quietMs = 60_000) {
  const t = tempDir();
  dirs.push(t);
  const path = join(t.dir, 'state.sqlite');
  const clock = { now: 1_000_000 };
  const collected = new CollectingReporter();
  const state = new WatchState(openDb(path));
  const make = (s: WatchState, rs: Reporter[]) =>
    new WatchProcessor({ state: s, stages: testStages(), reporters: [collected, ...rs], quietMs, log: silentLogger(), now: () => clock.now, retryMs: 0 });
  let locator = 0;
  const feed = async (p: WatchProcessor, data: Buffer) => {
    clock.now += 1000;
    await p.ingest({ source: 'test:mem', locator: String(++locator), data, checkpoint: String(locator) }, 'maildir');
  };
  return { dir: t.dir, path, clock, collected, state, processor: make(state, reporters), make, feed };
}

describe('WatchProcessor', () => {
  test('cover and patches out of order: one review, after the last patch, with every patch', async () => {
    const { processor, collected, feed } = setup();
    const s = makeSeries({ title: 'out of order', n: 3 });
    for (const m of [s.patches[2], s.cover, s.patches[0]]) await feed(processor, m as Buffer);
    expect(collected.reviews).toHaveLength(0);
    await feed(processor, s.patches[1] as Buffer);
    expect(collected.reviews).toHaveLength(1);
    expect(collected.reviews[0]?.series.patches.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(collected.reviews[0]?.series.cover?.id).toBe(s.coverId);
    await processor.reviewDue();
    expect(collected.reviews).toHaveLength(1);
  });

  test('quiet period: an incomplete series is reviewed with a note; a late patch is reviewed alone, once', async () => {
    const { processor, collected, feed, clock } = setup();
    const s = makeSeries({ title: 'incomplete', n: 3 });
    for (const m of [s.cover, s.patches[0], s.patches[1]]) await feed(processor, m as Buffer);
    await processor.reviewDue();
    expect(collected.reviews).toHaveLength(0);
    clock.now += 60_000;
    await processor.reviewDue();
    expect(collected.reviews).toHaveLength(1);
    expect(collected.reviews[0]?.series.notes.join('\n')).toMatch(/incomplete: reviewed after 1m without new patches; missing 3 of 3/);
    await feed(processor, s.patches[2] as Buffer);
    expect(collected.reviews).toHaveLength(2);
    const late = collected.reviews[1];
    expect(late?.series.patches.map((p) => p.index)).toEqual([3]);
    expect(late?.series.notes.join('\n')).toMatch(/late patches 3 of 3: patches 1, 2 were reviewed earlier/);
    // The same late patch again (another copy in the thread) changes nothing.
    await feed(processor, s.patches[2] as Buffer);
    clock.now += 120_000;
    await processor.reviewDue();
    expect(collected.reviews).toHaveLength(2);
  });

  test('a new revision is a new review', async () => {
    const { processor, collected, feed } = setup();
    const v1 = makeSeries({ title: 'revs', n: 2 });
    const v2 = makeSeries({ title: 'revs', n: 2, revision: 2, inReplyTo: v1.coverId });
    for (const m of [v1.cover, ...v1.patches, v2.cover, ...v2.patches]) await feed(processor, m as Buffer);
    expect(collected.reviews.map((r) => r.series.revision)).toEqual([1, 2]);
  });

  test('a message that cannot be parsed is quarantined once and the watch goes on', async () => {
    const { processor, collected, feed, state } = setup();
    await feed(processor, Buffer.from('just some text, no header fields at all\n'));
    await feed(processor, Buffer.alloc(0));
    const s = makeSeries({ title: 'after bad', n: 1, cover: false });
    await feed(processor, s.patches[0] as Buffer);
    expect(collected.reviews).toHaveLength(1);
    const q = state.db.prepare('SELECT reason FROM watch_quarantine').all() as Array<{ reason: string }>;
    expect(q.map((r) => r.reason)).toEqual(['not a mail message (no header fields)', 'not a mail message (no header fields)']);
  });

  test('a crash after the outbox file is written and before the review is recorded repeats the same file', async () => {
    const { processor, feed, dir, make, path } = setup();
    const outbox = join(dir, 'outbox');
    class DiesAfterWriting extends OutboxReporter {
      override async report(r: Parameters<Reporter['report']>[0]): Promise<void> {
        await super.report(r);
        throw new Error('simulated crash after the outbox write');
      }
    }
    const failing = make(new WatchState(openDb(path)), [new DiesAfterWriting(outbox)]);
    const s = makeSeries({ title: 'crash window', n: 2 });
    for (const m of [s.cover, ...s.patches]) await feed(failing, m as Buffer);
    expect(outboxFiles(outbox)).toHaveLength(1);
    // "Restart": a fresh processor on the same state reviews the owed series again.
    const restarted = make(new WatchState(openDb(path)), [new OutboxReporter(outbox)]);
    await restarted.reviewDue();
    expect(outboxFiles(outbox)).toHaveLength(1);
    await restarted.reviewDue();
    const reviews = new WatchState(openDb(path)).db.prepare('SELECT COUNT(*) AS n FROM watch_reviews').get() as { n: number };
    expect(reviews.n).toBe(1);
    void processor;
  });
});
