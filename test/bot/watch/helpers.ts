// Shared pieces of the watch tests: the real parser and series assembler with a stand-in review
// (the watcher's behaviour does not depend on which rules run), a temp dir, and an in-process watch.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mailbox } from '../../../bot/mail/mailbox.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import type { Review, Series } from '../../../bot/model.ts';
import type { Reporter } from '../../../bot/reporters/types.ts';
import { openDb } from '../../../bot/store/db.ts';
import { readWatchStatus } from '../../../bot/store/watch-status.ts';
import type { WatchStatus } from '../../../bot/store/watch-status.ts';
import { createLogger, silentLogger } from '../../../bot/watch/log.ts';
import type { LogLevel } from '../../../bot/watch/log-levels.ts';
import type { WatchStages } from '../../../bot/watch/processor.ts';
import { runWatch } from '../../../bot/watch/run.ts';
import type { WatchResult } from '../../../bot/watch/run.ts';
import type { SourceSpec, WatchSettings } from '../../../bot/watch/settings.ts';
import { repoRoot } from '../../helpers/corpus.ts';

export function tempDir(prefix = 'deptbot-watch-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function fakeReview(series: Series): Review {
  return { series, findings: [], ruleErrors: [], notes: [], rulesetVersion: 'test-1' };
}

export function testStages(review: (s: Series) => Promise<Review> = async (s) => fakeReview(s)): WatchStages {
  return {
    parseMessage: (raw) => parseMessage(raw),
    createAssembler: () => {
      const mailbox = new Mailbox();
      return { add: (m) => mailbox.add(m), flush: () => mailbox.flush(), stats: () => ({ followUps: 0, skipped: {} }) };
    },
    reviewSeries: (series) => review(series),
  };
}

export class CollectingReporter implements Reporter {
  readonly reviews: Review[] = [];
  async report(review: Review): Promise<void> {
    this.reviews.push(review);
  }
}

export function settingsFor(dir: string, sources: SourceSpec[], over: Partial<WatchSettings> = {}): WatchSettings {
  return {
    sources,
    once: false,
    quietMs: 600_000,
    pollMs: 200,
    rescanMs: 200,
    reconnect: { initialMs: 100, maxMs: 1000 },
    statePath: join(dir, 'state.sqlite'),
    outbox: join(dir, 'outbox'),
    format: 'text',
    keyword: '$DeptbotSeen',
    ...over,
  };
}

export interface RunningWatch {
  collected: CollectingReporter;
  done: Promise<WatchResult>;
  stop(): Promise<WatchResult>;
}

/** Runs `deptbot watch` in this process (real sources and state, stand-in review). */
export function startWatch(settings: WatchSettings, stages: WatchStages = testStages()): RunningWatch {
  const collected = new CollectingReporter();
  const ctl = new AbortController();
  const done = runWatch(settings, {
    stages,
    review: {},
    // DEPTBOT_TEST_LOG=debug shows the watcher's logs while debugging a test.
    log: process.env.DEPTBOT_TEST_LOG ? createLogger(process.env.DEPTBOT_TEST_LOG as LogLevel) : silentLogger(),
    env: { DEPTBOT_IMAP_PASSWORD: 'secret-test-password' },
    signal: ctl.signal,
    reporters: () => [collected],
  });
  return {
    collected,
    done,
    stop: async () => {
      ctl.abort();
      return done;
    },
  };
}

export function statusOf(statePath: string): WatchStatus {
  const db = openDb(statePath, { readonly: true });
  try {
    return readWatchStatus(db);
  } finally {
    db.close();
  }
}

/** Files in an outbox directory, sorted; `kind` keeps only review files (.txt/.jsonl) or mails (.eml). */
export function outboxFiles(dir: string, kind: 'all' | 'reviews' | 'mails' = 'reviews'): string[] {
  const wanted = (f: string): boolean =>
    kind === 'all' || (kind === 'mails' ? f.endsWith('.eml') : f.endsWith('.txt') || f.endsWith('.jsonl'));
  try {
    return readdirSync(dir)
      .filter((f) => !f.startsWith('.') && wanted(f))
      .sort();
  } catch {
    return [];
  }
}

/** A public-inbox v2 epoch built with git fast-import: one commit per message, the message as file `m`. */
export class TestPublicInbox {
  private commits = 0;

  constructor(readonly gitDir: string) {
    execFileSync('git', ['init', '--quiet', '--bare', gitDir]);
    execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/master'], { cwd: gitDir });
  }

  /** Adds one commit per message; `null` adds a removal commit (file `d`, no `m`). */
  add(messages: ReadonlyArray<Buffer | null>): void {
    const parts: Buffer[] = [];
    messages.forEach((m, i) => {
      const when = 1_700_000_000 + ++this.commits;
      parts.push(Buffer.from(`commit refs/heads/master\ncommitter Test <t@test.example> ${when} +0000\ndata 0\n`));
      // The first commit of this import continues the branch written by the previous one.
      if (i === 0 && this.commits > 1) parts.push(Buffer.from('from refs/heads/master^0\n'));
      if (m) parts.push(Buffer.from(`M 100644 inline m\ndata ${m.length}\n`), m, Buffer.from('\n'));
      else parts.push(Buffer.from('D m\nM 100644 inline d\ndata 0\n\n'));
      parts.push(Buffer.from('\n'));
    });
    execFileSync('git', ['fast-import', '--quiet'], { cwd: this.gitDir, input: Buffer.concat(parts) });
  }

  head(): string {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: this.gitDir, encoding: 'utf8' }).trim();
  }
}

/**
 * How a status accounts for what its first source delivered: every delivery, and the same number
 * again as distinct messages by kind + duplicates + quarantined. Also, every stored patch is either
 * covered by a review or still waiting in an open series.
 */
export function accounting(st: WatchStatus): { delivered: number; accounted: number; patches: number; reviewedOrWaiting: number } {
  const src = st.sources[0];
  const sum = (r: Record<string, number> | undefined): number => Object.values(r ?? {}).reduce((a, b) => a + b, 0);
  return {
    delivered: sum(src?.delivered),
    accounted: sum(src?.kinds) + (src?.delivered.duplicate ?? 0) + (src?.delivered.quarantined ?? 0),
    patches: st.messages.patch ?? 0,
    reviewedOrWaiting: st.reviews.patches + st.patches.waiting,
  };
}

/** `node bin/deptbot.js watch ...` as a child process (logs silenced); `exit` settles when it ends. */
export function spawnWatch(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/deptbot.js'), 'watch', '--log-level', 'silent', ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: 'ignore',
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exit };
}
