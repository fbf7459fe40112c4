// Shared pieces of the watch tests: the real parser and series assembler with a stand-in review
// (the watcher's behaviour does not depend on which rules run), a temp dir, and an in-process watch.
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
import { silentLogger } from '../../../bot/watch/log.ts';
import type { WatchStages } from '../../../bot/watch/processor.ts';
import { runWatch } from '../../../bot/watch/run.ts';
import type { WatchResult } from '../../../bot/watch/run.ts';
import type { SourceSpec, WatchSettings } from '../../../bot/watch/settings.ts';

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
    log: silentLogger(),
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

export function outboxFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => !f.startsWith('.'));
  } catch {
    return [];
  }
}
