// `deptbot watch` as a separate process with the real parser, assembler and rules: kill -9 in the
// middle of a series and at each point between a side effect and its commit, SIGTERM, the
// embedded default, and `deptbot status`.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { splitMbox } from '../../../bot/sources/mbox-split.ts';
import { corpusPath, repoRoot } from '../../helpers/corpus.ts';
import { dovecotAvailable, startDovecot, waitFor } from '../../helpers/dovecot.ts';
import type { Dovecot } from '../../helpers/dovecot.ts';
import { appendMessages } from '../../helpers/imap.ts';
import { outboxFiles, spawnWatch, statusOf, tempDir } from './helpers.ts';

const BIN = join(repoRoot, 'bin/deptbot.js');
const dirs: Array<{ cleanup(): void }> = [];
const series: Buffer[] = [];

beforeAll(async () => {
  for await (const m of splitMbox(createReadStream(corpusPath('series/cma-dmem-v2.mbox')), 1 << 26)) series.push(m.data);
});
afterAll(() => dirs.splice(0).forEach((d) => d.cleanup()));

function work(): string {
  const t = tempDir('deptbot-cli-');
  dirs.push(t);
  return t.dir;
}

let files = 0;
function deliver(maildir: string, data: Buffer): void {
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  writeFileSync(join(maildir, 'new', `${Date.now()}.M${++files}.cli`), data);
}

describe('deptbot watch (process)', () => {
  test('the corpus series is a cover and 3 patches', () => {
    expect(series).toHaveLength(4);
  });

  test.skipIf(!dovecotAvailable())('IMAP: killed with SIGKILL mid-series and started again: exactly one review', async () => {
    const dovecot: Dovecot = await startDovecot();
    try {
      const dir = work();
      const state = join(dir, 'state.sqlite');
      const outbox = join(dir, 'outbox');
      const args = ['--imap', dovecot.url(), '--state', state, '--outbox', outbox];
      const env = { DEPTBOT_IMAP_PASSWORD: dovecot.password };
      await appendMessages(dovecot, series.slice(0, 2));
      const first = spawnWatch(args, { env });
      await waitFor('2 messages stored', () => existsSync(state) && statusOf(state).totals.delivered === 2);
      first.child.kill('SIGKILL');
      expect((await first.exit).signal).toBe('SIGKILL');
      await appendMessages(dovecot, series.slice(2));
      const second = spawnWatch(args, { env });
      await waitFor('the review', () => statusOf(state).reviews.count === 1, 60_000);
      second.child.kill('SIGTERM');
      expect(await second.exit).toEqual({ code: 0, signal: null });
      const st = statusOf(state);
      expect(st.reviews.count).toBe(1);
      expect(st.totals).toMatchObject({ delivered: 4, duplicates: 0 });
      expect(outboxFiles(outbox)).toHaveLength(1);
      const text = readFileSync(join(outbox, outboxFiles(outbox)[0] as string), 'utf8');
      expect(text).toMatch(/v2, 3\/3 patches, complete/);
    } finally {
      await dovecot.destroy();
    }
  });

  /** A watch --once over the series in a fresh Maildir; the outbox of a run without a crash is the reference. */
  async function onceRun(crashAt?: string): Promise<{ dir: string; all: string[] }> {
    const dir = work();
    const maildir = join(dir, 'md');
    for (const m of series) deliver(maildir, m);
    const args = ['--maildir', maildir, '--state', join(dir, 's.sqlite'), '--outbox', join(dir, 'out'), '--format', 'json', '--once'];
    if (crashAt) {
      const crashed = spawnWatch(args, { env: { DEPTBOT_TEST_CRASH_AT: crashAt } });
      expect((await crashed.exit).signal).toBe('SIGKILL');
    }
    const again = spawnWatch(args);
    expect((await again.exit).code).toBe(0);
    return { dir, all: outboxFiles(join(dir, 'out'), 'all') };
  }
  let reference: Promise<{ dir: string; all: string[] }> | undefined;

  for (const point of ['after-record', 'before-report', 'after-report', 'after-review-record']) {
    test(`killed at ${point} and started again: exactly one review, one JSON line, the same outbox as without a crash`, async () => {
      reference ??= onceRun();
      const { dir, all } = await onceRun(point);
      // The review file and any review mails: nothing lost, nothing twice.
      expect(all).toEqual((await reference).all);
      const out = outboxFiles(join(dir, 'out'));
      expect(out).toHaveLength(1);
      const lines = readFileSync(join(dir, 'out', out[0] as string), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ revision: 2, complete: true, expected: 3 });
      expect(statusOf(join(dir, 's.sqlite')).reviews.count).toBe(1);
    });
  }

  test('the embedded default watches ./inbox and writes to ./outbox; SIGTERM stops it cleanly', async () => {
    const dir = work();
    const w = spawnWatch([], { cwd: dir });
    await waitFor('./inbox and the state file', () => existsSync(join(dir, 'inbox', 'new')) && existsSync(join(dir, 'deptbot-state.sqlite')));
    for (const m of series) deliver(join(dir, 'inbox'), m);
    await waitFor('the review', () => outboxFiles(join(dir, 'outbox')).length === 1, 60_000);
    w.child.kill('SIGTERM');
    expect(await w.exit).toEqual({ code: 0, signal: null });
    const text = execFileSync(process.execPath, [BIN, 'status'], { cwd: dir, encoding: 'utf8' });
    expect(text).toMatch(/messages: 4 delivered = 4 distinct \+ 0 duplicate \+ 0 quarantined/);
    expect(text).toMatch(/reviews done: 1 \(3 patches, 0 of incomplete series\)/);
  });

  test('status of a missing state file is a one-line error', () => {
    const dir = work();
    let stderr = '';
    try {
      execFileSync(process.execPath, [BIN, 'status', '--state', join(dir, 'none.sqlite')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr.trim()).toMatch(/^deptbot: .*none\.sqlite: no such state file/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
