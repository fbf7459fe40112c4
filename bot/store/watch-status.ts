// A read-only snapshot of the watcher's state for `deptbot status`: sources and checkpoints, what
// became of every delivered message, series not yet reviewed, quarantine, reviews and recent errors.
import type { Db } from './db.ts';
import { schemaVersion } from './db.ts';
import { readOutboxStatus } from './outbox-status.ts';
import type { OutboxStatus } from './outbox-status.ts';

export interface SourceStatus {
  name: string;
  kind: string;
  checkpoint: string | null;
  updatedAt: number;
  /** Deliveries by outcome: new, duplicate, quarantined. */
  delivered: Record<string, number>;
  /** New messages from this source by kind: patch, cover, follow-up, other, conflict, stray. */
  kinds: Record<string, number>;
}

export interface PendingSeriesStatus {
  title: string;
  revision: number;
  expected: number;
  state: string;
  /** Counters that arrived and are not reviewed yet. */
  waiting: number[];
  reviewed: number[];
  firstArrival: number;
  lastArrival: number;
  lastError: string | null;
}

export interface WatchStatus {
  sources: SourceStatus[];
  totals: { delivered: number; messages: number; quarantined: number; duplicates: number };
  /** Patches placed in a series: reviewed, or waiting for their series to complete or go quiet. */
  patches: { reviewed: number; waiting: number };
  messages: Record<string, number>;
  series: Record<string, number>;
  pending: PendingSeriesStatus[];
  quarantined: Array<{ source: string; locator: string; reason: string; size: number; at: number }>;
  reviews: { count: number; patches: number; incomplete: number; last: Array<{ title: string; revision: number; part: number; complete: boolean; findings: number; rulesetVersion: string; output: string; at: number }> };
  errors: Array<{ at: number; scope: string; message: string }>;
  /** The mail outbox, when mail ran on this state file. */
  mail?: OutboxStatus;
}

const count = (rows: Array<{ k: string; n: number }>): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.k, r.n]));

export function readWatchStatus(db: Db, limits = { pending: 50, quarantined: 50, reviews: 20, errors: 20 }): WatchStatus {
  if (schemaVersion(db, 'watch') === 0) {
    return {
      sources: [],
      totals: { delivered: 0, messages: 0, quarantined: 0, duplicates: 0 },
      patches: { reviewed: 0, waiting: 0 },
      messages: {},
      series: {},
      pending: [],
      quarantined: [],
      reviews: { count: 0, patches: 0, incomplete: 0, last: [] },
      errors: [],
      mail: readOutboxStatus(db),
    };
  }
  const sources = (db.prepare('SELECT name, kind, checkpoint, updated_at AS updatedAt FROM watch_sources ORDER BY name').all() as Array<
    Omit<SourceStatus, 'delivered' | 'kinds'>
  >).map((s) => ({
    ...s,
    delivered: count(db.prepare('SELECT outcome AS k, COUNT(*) AS n FROM watch_deliveries WHERE source = ? GROUP BY outcome').all(s.name) as Array<{ k: string; n: number }>),
    kinds: count(
      db
        .prepare(
          `SELECT m.kind AS k, COUNT(*) AS n FROM watch_deliveries d JOIN watch_messages m ON m.id = d.message_row
           WHERE d.source = ? AND d.outcome = 'new' GROUP BY m.kind`,
        )
        .all(s.name) as Array<{ k: string; n: number }>,
    ),
  }));
  const outcomes = count(db.prepare('SELECT outcome AS k, COUNT(*) AS n FROM watch_deliveries GROUP BY outcome').all() as Array<{ k: string; n: number }>);
  const pendingRows = db
    .prepare(
      `SELECT id, title, revision, expected, state, first_arrival AS firstArrival, last_arrival AS lastArrival, last_error AS lastError
       FROM watch_series WHERE state IN ('waiting', 'pending', 'complete', 'failed') ORDER BY last_arrival DESC LIMIT ?`,
    )
    .all(limits.pending) as Array<Omit<PendingSeriesStatus, 'waiting' | 'reviewed'> & { id: number }>;
  const counters = db.prepare(
    "SELECT counter, reviewed_part AS part FROM watch_messages WHERE series_id = ? AND kind = 'patch' ORDER BY counter",
  );
  const pending = pendingRows.map(({ id, ...s }) => {
    const rows = counters.all(id) as Array<{ counter: number; part: number | null }>;
    return { ...s, waiting: rows.filter((r) => r.part === null).map((r) => r.counter), reviewed: rows.filter((r) => r.part !== null).map((r) => r.counter) };
  });
  const reviewTotals = db
    .prepare("SELECT COUNT(*) AS count, COALESCE(SUM(json_array_length(patch_ids)), 0) AS patches, COALESCE(SUM(complete = 0), 0) AS incomplete FROM watch_reviews")
    .get() as { count: number; patches: number; incomplete: number };
  const last = (
    db
      .prepare(
        `SELECT s.title, r.revision, r.part, r.complete, r.findings, r.ruleset_version AS rulesetVersion, r.output, r.reviewed_at AS at
         FROM watch_reviews r JOIN watch_series s ON s.id = r.series_id ORDER BY r.id DESC LIMIT ?`,
      )
      .all(limits.reviews) as Array<{ title: string; revision: number; part: number; complete: number; findings: number; rulesetVersion: string; output: string; at: number }>
  ).map((r) => ({ ...r, complete: r.complete === 1 }));
  return {
    sources,
    totals: {
      delivered: (outcomes.new ?? 0) + (outcomes.duplicate ?? 0) + (outcomes.quarantined ?? 0),
      messages: (db.prepare('SELECT COUNT(*) AS n FROM watch_messages').get() as { n: number }).n,
      quarantined: outcomes.quarantined ?? 0,
      duplicates: outcomes.duplicate ?? 0,
    },
    patches: db
      .prepare(
        `SELECT COALESCE(SUM(reviewed_part IS NOT NULL), 0) AS reviewed, COALESCE(SUM(reviewed_part IS NULL), 0) AS waiting
         FROM watch_messages WHERE kind = 'patch'`,
      )
      .get() as WatchStatus['patches'],
    messages: count(db.prepare('SELECT kind AS k, COUNT(*) AS n FROM watch_messages GROUP BY kind').all() as Array<{ k: string; n: number }>),
    series: count(db.prepare('SELECT state AS k, COUNT(*) AS n FROM watch_series GROUP BY state').all() as Array<{ k: string; n: number }>),
    pending,
    quarantined: db
      .prepare('SELECT source, locator, reason, size, at FROM watch_quarantine ORDER BY id DESC LIMIT ?')
      .all(limits.quarantined) as WatchStatus['quarantined'],
    reviews: { ...reviewTotals, last },
    errors: db.prepare('SELECT at, scope, message FROM watch_errors ORDER BY id DESC LIMIT ?').all(limits.errors) as WatchStatus['errors'],
    mail: readOutboxStatus(db),
  };
}
