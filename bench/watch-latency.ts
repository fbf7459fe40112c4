// Measures `deptbot watch` for the report (never asserted):
//  1. over N series (default 50) appended to a real Dovecot, the time from the APPEND of each
//     series' last patch to its review being written to the outbox (p50, p99);
//  2. the resident memory of a watch process (real parser and rules) that has gone through M
//     archive messages (default 5000) from a Maildir.
// Run: npx tsx bench/watch-latency.ts [--series 50] [--messages 5000]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Review } from '../bot/model.ts';
import { silentLogger } from '../bot/watch/log.ts';
import { runWatch } from '../bot/watch/run.ts';
import { defaultStages } from '../bot/wiring.ts';
import { allRules } from '../rules/index.ts';
import { repoRoot } from '../test/helpers/corpus.ts';
import { startDovecot, waitFor } from '../test/helpers/dovecot.ts';
import { appendMessages, archiveMessages, makeSeries } from '../test/helpers/imap.ts';
import { settingsFor, statusOf, tempDir } from '../test/bot/watch/helpers.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function latency(seriesCount: number): Promise<number[]> {
  const dovecot = await startDovecot();
  const work = tempDir('deptbot-bench-');
  const written = new Map<string, number>();
  const ctl = new AbortController();
  try {
    const settings = settingsFor(work.dir, [{ type: 'imap', url: dovecot.url() }]);
    const done = runWatch(settings, {
      stages: defaultStages(),
      review: { rules: allRules },
      log: silentLogger(),
      env: { DEPTBOT_IMAP_PASSWORD: dovecot.password },
      signal: ctl.signal,
      // Runs after the outbox reporter has written the file: the moment the review is out.
      reporters: () => [{ report: async (r: Review) => void written.set(r.series.title, Date.now()) }],
    });
    const samples: number[] = [];
    for (let i = 0; i < seriesCount; i++) {
      const s = makeSeries({ title: `latency ${i}`, n: 3 });
      await appendMessages(dovecot, [s.cover as Buffer, ...s.patches.slice(0, -1)]);
      await appendMessages(dovecot, s.patches.slice(-1));
      const appended = Date.now();
      await waitFor(`review ${i}`, () => written.has(s.title), 60_000, 5);
      samples.push((written.get(s.title) ?? NaN) - appended);
    }
    ctl.abort();
    await done;
    return samples.sort((a, b) => a - b);
  } finally {
    ctl.abort();
    await dovecot.destroy();
    work.cleanup();
  }
}

function rssKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

async function memory(count: number): Promise<{ rss: number; hwm: number; seconds: number; reviews: number }> {
  const work = tempDir('deptbot-bench-');
  try {
    const maildir = join(work.dir, 'md');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    const messages = await archiveMessages(count);
    messages.forEach((m, i) => writeFileSync(join(maildir, 'new', `${1_700_000_000 + i}.M${i}.bench`), m));
    const state = join(work.dir, 'state.sqlite');
    const start = Date.now();
    const child = spawn(process.execPath, [join(repoRoot, 'bin/deptbot.js'), 'watch', '--maildir', maildir, '--state', state, '--outbox', join(work.dir, 'out'), '--log-level', 'silent'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    await waitFor(`${count} messages`, () => existsSync(state) && statusOf(state).totals.delivered >= count, 3_600_000, 500);
    const seconds = (Date.now() - start) / 1000;
    const mem = rssKb(child.pid ?? 0);
    const reviews = statusOf(state).reviews.count;
    child.kill('SIGTERM');
    await exited;
    return { ...mem, seconds, reviews };
  } finally {
    work.cleanup();
  }
}

const seriesCount = arg('--series', 50);
const messageCount = arg('--messages', 5000);
const samples = await latency(seriesCount);
console.log(
  `latency over ${samples.length} series (last patch APPEND -> review written): p50 ${percentile(samples, 50)} ms, ` +
    `p99 ${percentile(samples, 99)} ms, min ${samples[0]} ms, max ${samples[samples.length - 1]} ms`,
);
const mem = await memory(messageCount);
console.log(
  `watch after ${messageCount} archive messages (${mem.reviews} reviews, ${mem.seconds.toFixed(1)} s): ` +
    `RSS ${(mem.rss / 1024).toFixed(0)} MB, peak RSS ${(mem.hwm / 1024).toFixed(0)} MB`,
);
