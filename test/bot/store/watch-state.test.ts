import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openDb, schemaVersion } from '../../../bot/store/db.ts';
import { WatchState } from '../../../bot/store/watch-state.ts';
import type { Classification, Delivery } from '../../../bot/store/watch-state.ts';
import { tempDir } from '../watch/helpers.ts';

const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function fresh(): { state: WatchState; path: string } {
  const t = tempDir('deptbot-store-');
  dirs.push(t);
  const path = join(t.dir, 'state.sqlite');
  return { state: new WatchState(openDb(path)), path };
}

const series = { anchor: 'cover@x', revision: 1, expected: 3, title: 'demo' };
let n = 0;
function delivery(locator: string, body = locator): Delivery {
  return { source: 'test:src', sourceKind: 'maildir', locator, checkpoint: `cp-${locator}`, contentHash: `h-${body}`, raw: Buffer.from(body), at: ++n };
}
const patch = (counter: number, id = `p${counter}@x`): Classification => ({ messageId: id, kind: 'patch', counter, series });

describe('WatchState', () => {
  test('a series becomes complete when every counter has arrived, in any order', () => {
    const { state } = fresh();
    expect(state.recordMessage(delivery('3'), patch(3)).seriesState).toBe('pending');
    expect(state.recordMessage(delivery('0'), { messageId: 'cover@x', kind: 'cover', counter: 0, series }).seriesState).toBe('pending');
    expect(state.recordMessage(delivery('1'), patch(1)).seriesState).toBe('pending');
    const last = state.recordMessage(delivery('2'), patch(2));
    expect(last).toMatchObject({ outcome: 'new', kind: 'patch', seriesState: 'complete' });
    expect(state.checkpoint('test:src')).toBe('cp-2');
    const data = state.seriesForReview(last.seriesId ?? -1);
    expect(data?.cover?.messageId).toBe('cover@x');
    expect(data?.patches.map((p) => p.counter)).toEqual([1, 2, 3]);
  });

  test('the same message again is a duplicate; the same Message-ID with other content is kept apart', () => {
    const { state } = fresh();
    state.recordMessage(delivery('a', 'same'), patch(1));
    expect(state.recordMessage(delivery('b', 'same'), patch(1)).outcome).toBe('duplicate');
    expect(state.recordMessage(delivery('c', 'other'), patch(1))).toMatchObject({ outcome: 'new', kind: 'conflict' });
    expect(state.recordMessage(delivery('d', 'resend'), patch(1, 'p1-resend@x'))).toMatchObject({ kind: 'stray' });
    expect(state.deliveryKnown('test:src', 'b')).toBe(true);
  });

  test('a review frees raw bytes only when every counter is covered; a late patch is reviewed on its own', () => {
    const { state } = fresh();
    state.recordMessage(delivery('1'), patch(1));
    const r = state.recordMessage(delivery('2'), patch(2));
    const id = r.seriesId ?? -1;
    expect(state.dueSeries(0)).toEqual([]);
    expect(state.dueSeries(Number.MAX_SAFE_INTEGER)).toEqual([{ id, complete: false }]);
    const first = state.seriesForReview(id);
    state.recordReview({
      seriesId: id, seriesKey: 'k', revision: 1, rulesetVersion: 'r1', patchRows: first?.patches.map((p) => p.rowId) ?? [],
      patchIds: ['p1@x', 'p2@x'], complete: false, findings: 0, output: 'x', at: 10,
    });
    expect(state.dueSeries(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(state.recordMessage(delivery('3'), patch(3)).seriesState).toBe('complete');
    const late = state.seriesForReview(id);
    expect(late?.patches.map((p) => p.counter)).toEqual([3]);
    expect(late?.reviewedCounters).toEqual([1, 2]);
    expect(state.recordReview({
      seriesId: id, seriesKey: 'k', revision: 1, rulesetVersion: 'r1', patchRows: late?.patches.map((p) => p.rowId) ?? [],
      patchIds: ['p3@x'], complete: true, findings: 0, output: 'y', at: 11,
    })).toBe(2);
    const raws = state.db.prepare('SELECT COUNT(*) AS n FROM watch_messages WHERE raw IS NOT NULL').get() as { n: number };
    expect(raws.n).toBe(0);
    // A reviewed counter sent again in the thread never makes the series due again.
    expect(state.recordMessage(delivery('3b', 'again'), patch(3, 'p3-again@x'))).toMatchObject({ kind: 'stray', seriesState: 'reviewed' });
  });

  test('quarantine is recorded once per (source, locator) and moves the checkpoint', () => {
    const { state } = fresh();
    expect(state.recordQuarantine(delivery('bad'), 'no headers')).toBe(true);
    expect(state.recordQuarantine(delivery('bad'), 'no headers')).toBe(false);
    expect(state.checkpoint('test:src')).toBe('cp-bad');
  });

  test('state survives closing and reopening; the schema version is recorded once', () => {
    const { state, path } = fresh();
    state.recordMessage(delivery('1'), patch(1));
    state.close();
    const db = openDb(path);
    expect(schemaVersion(db, 'watch')).toBe(1);
    const again = new WatchState(db);
    expect(again.checkpoint('test:src')).toBe('cp-1');
    expect(again.deliveryKnown('test:src', '1')).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });

  test('a file that is not SQLite is a one-line input error', () => {
    const t = tempDir('deptbot-store-');
    dirs.push(t);
    const path = join(t.dir, 'not.sqlite');
    writeFileSync(path, 'hello, this is not a database at all, not even close'.repeat(10));
    expect(() => new WatchState(openDb(path))).toThrow(/not\.sqlite: cannot open state database|not a database/);
  });
});
