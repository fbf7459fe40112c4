// `deptbot watch` put together: state, sources, stages, reporters, the loop, and a clean stop.
// Reporters are built in one place (createReporters) so the email reporter plugs in there; the
// loop and the processor only know the Reporter interface.
import type { PipelineReviewOptions } from '../pipeline.ts';
import type { Reporter } from '../reporters/types.ts';
import { ImapSource } from '../sources/imap.ts';
import { MaildirWatchSource } from '../sources/maildir-watch.ts';
import { PublicInboxSource } from '../sources/public-inbox.ts';
import { openDb } from '../store/db.ts';
import type { Db } from '../store/db.ts';
import { WatchState } from '../store/watch-state.ts';
import { UsageError } from '../errors.ts';
import type { Logger } from './log.ts';
import { OutboxReporter } from './outbox-reporter.ts';
import { WatchProcessor } from './processor.ts';
import type { WatchStages } from './processor.ts';
import type { SourceSpec, WatchSettings } from './settings.ts';
import type { SourceMemory, WatchSource } from './types.ts';
import { runWatchLoop } from './watcher.ts';

export interface WatchEnv {
  stages: WatchStages;
  review: PipelineReviewOptions;
  log: Logger;
  /** DEPTBOT_IMAP_PASSWORD and friends. */
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Extra reporters (tests); the outbox reporter is always there. */
  reporters?: (ctx: ReporterContext) => Reporter[];
}

export interface ReporterContext {
  settings: WatchSettings;
  /** The state database, for reporters that keep their own tables (bot/store/outbox.ts). */
  db: Db;
  log: Logger;
}

export interface WatchResult {
  reviews: number;
  messages: number;
  sourceFailures: number;
}

export function createReporters(ctx: ReporterContext): Reporter[] {
  return [new OutboxReporter(ctx.settings.outbox, ctx.settings.format)];
}

export function stateMemory(state: WatchState): SourceMemory {
  return {
    checkpoint: (source) => state.checkpoint(source),
    deliveryKnown: (source, locator) => state.deliveryKnown(source, locator),
    setCheckpoint: (source, kind, checkpoint) => state.setCheckpoint(source, kind, checkpoint),
    recordError: (scope, message) => state.recordError(scope, message),
  };
}

export function openSource(spec: SourceSpec, settings: WatchSettings, memory: SourceMemory, log: Logger, env: NodeJS.ProcessEnv): WatchSource {
  const common = { memory, log, once: settings.once };
  switch (spec.type) {
    case 'imap': {
      const password = env.DEPTBOT_IMAP_PASSWORD;
      if (password === undefined) throw new UsageError('--imap: set the password in the environment variable DEPTBOT_IMAP_PASSWORD');
      return new ImapSource({
        ...common,
        url: spec.url,
        password,
        keyword: settings.keyword,
        reconnect: settings.reconnect,
        // IDLE reports new mail; the poll only backs it up.
        pollMs: Math.min(settings.pollMs, 120_000),
      });
    }
    case 'maildir':
      return new MaildirWatchSource({ ...common, dir: spec.path, create: spec.create, rescanMs: settings.rescanMs });
    case 'public-inbox':
      return new PublicInboxSource({ ...common, gitDir: spec.path, pollMs: settings.pollMs, ...(spec.fetch ? { fetchCommand: spec.fetch } : {}) });
  }
}

export async function runWatch(settings: WatchSettings, env: WatchEnv): Promise<WatchResult> {
  const db = openDb(settings.statePath);
  const state = new WatchState(db);
  const memory = stateMemory(state);
  const reporters: Reporter[] = [];
  try {
    const sources = settings.sources.map((s) => openSource(s, settings, memory, env.log, env.env));
    for (const s of sources) state.registerSource(s.name, s.kind);
    const ctx: ReporterContext = { settings, db, log: env.log };
    reporters.push(...createReporters(ctx), ...(env.reporters?.(ctx) ?? []));
    const processor = new WatchProcessor({
      state,
      stages: env.stages,
      reporters,
      review: env.review,
      quietMs: settings.quietMs,
      log: env.log,
    });
    env.log.info(
      { sources: sources.map((s) => s.name), state: settings.statePath, outbox: settings.outbox, quietMs: settings.quietMs, once: settings.once },
      'watch started',
    );
    let sourceFailures = 0;
    await runWatchLoop({
      sources,
      processor,
      memory: { ...memory, recordError: (scope, message) => (sourceFailures++, memory.recordError(scope, message)) },
      log: env.log,
      once: settings.once,
      signal: env.signal,
      tickMs: Math.min(60_000, Math.max(50, settings.quietMs)),
    });
    return { reviews: processor.counts.reviews, messages: processor.counts.messages, sourceFailures };
  } finally {
    for (const r of reporters) await r.close?.();
    state.close();
  }
}
