// The watcher's state: every delivery (source + locator), every distinct message, series being
// assembled, reviews done, quarantined input, source checkpoints and recent errors. Each update for
// one message or one review is a single transaction, so a killed process restarts consistent.
import type { Db } from './db.ts';
import { migrate } from './db.ts';
import { messageStored } from './message-events.ts';

export type MessageKind =
  /** A patch of a series (counter >= 1). */
  | 'patch'
  /** A cover letter (counter 0). */
  | 'cover'
  | 'follow-up'
  /** Neither a patch nor a reply: discussion, pull requests, spam. */
  | 'other'
  /** A Message-ID already seen with different content: kept apart, never reviewed. */
  | 'conflict'
  /** A patch whose counter was already taken in its series (a re-send in the same thread). */
  | 'stray';

export type DeliveryOutcome = 'new' | 'duplicate' | 'quarantined';

export type SeriesState =
  /** Only a cover letter so far. */
  | 'waiting'
  /** Some patches not yet reviewed, counters missing. */
  | 'pending'
  /** Every counter 1..N has arrived: a review is owed. */
  | 'complete'
  /** Every patch that arrived is reviewed (possibly as an incomplete series). */
  | 'reviewed'
  /** Reviewing failed too often; see last_error. */
  | 'failed';

/** Where a series is identified: thread anchor, revision and size (see bot/watch/classify.ts). */
export interface SeriesIdentity {
  anchor: string;
  revision: number;
  expected: number;
  title: string;
}

export interface Delivery {
  source: string;
  sourceKind: string;
  locator: string;
  /** The source's resume position once this message is stored. */
  checkpoint?: string;
  contentHash: string;
  raw: Buffer;
  at: number;
}

export interface Classification {
  messageId: string;
  kind: 'patch' | 'cover' | 'follow-up' | 'other';
  series?: SeriesIdentity;
  counter?: number;
}

export interface RecordResult {
  outcome: DeliveryOutcome;
  kind?: MessageKind;
  seriesId?: number;
  seriesState?: SeriesState;
}

export interface SeriesRow {
  id: number;
  anchor: string;
  revision: number;
  expected: number;
  title: string;
  state: SeriesState;
  parts: number;
  first_arrival: number;
  last_arrival: number;
  attempts: number;
  last_error: string | null;
}

export interface StoredMessage {
  rowId: number;
  messageId: string;
  counter: number | null;
  raw: Buffer;
  source: string;
  locator: string;
}

export interface SeriesForReview {
  series: SeriesRow;
  cover?: StoredMessage;
  /** Patches not reviewed yet, by counter. */
  patches: StoredMessage[];
  /** Counters reviewed in earlier parts. */
  reviewedCounters: number[];
}

export interface ReviewRecord {
  seriesId: number;
  seriesKey: string;
  revision: number;
  rulesetVersion: string;
  patchRows: number[];
  patchIds: string[];
  complete: boolean;
  findings: number;
  output: string;
  at: number;
}

/** Raw bytes of quarantined messages above this size are not kept (the reason says why). */
export const QUARANTINE_RAW_LIMIT = 1024 * 1024;
const KEEP_ERRORS = 100;

const schema: ReadonlyArray<(db: Db) => void> = [
  (db) =>
    db.exec(`
    CREATE TABLE IF NOT EXISTS watch_sources (
      name TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      checkpoint TEXT,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS watch_series (
      id INTEGER PRIMARY KEY,
      anchor TEXT NOT NULL,
      revision INTEGER NOT NULL,
      expected INTEGER NOT NULL,
      title TEXT NOT NULL,
      state TEXT NOT NULL,
      parts INTEGER NOT NULL DEFAULT 0,
      first_arrival INTEGER NOT NULL,
      last_arrival INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      UNIQUE (anchor, revision, expected)
    );
    CREATE INDEX IF NOT EXISTS watch_series_state ON watch_series (state);
    CREATE TABLE IF NOT EXISTS watch_messages (
      id INTEGER PRIMARY KEY,
      message_id TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      kind TEXT NOT NULL,
      series_id INTEGER REFERENCES watch_series (id),
      counter INTEGER,
      reviewed_part INTEGER,
      arrived_at INTEGER NOT NULL,
      raw BLOB,
      UNIQUE (message_id, content_hash)
    );
    CREATE INDEX IF NOT EXISTS watch_messages_series ON watch_messages (series_id);
    CREATE TABLE IF NOT EXISTS watch_deliveries (
      source TEXT NOT NULL,
      locator TEXT NOT NULL,
      message_row INTEGER REFERENCES watch_messages (id),
      outcome TEXT NOT NULL,
      at INTEGER NOT NULL,
      PRIMARY KEY (source, locator)
    );
    CREATE TABLE IF NOT EXISTS watch_quarantine (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL,
      locator TEXT NOT NULL,
      message_id TEXT,
      reason TEXT NOT NULL,
      size INTEGER NOT NULL,
      raw BLOB,
      at INTEGER NOT NULL,
      UNIQUE (source, locator)
    );
    CREATE TABLE IF NOT EXISTS watch_reviews (
      id INTEGER PRIMARY KEY,
      series_id INTEGER NOT NULL REFERENCES watch_series (id),
      part INTEGER NOT NULL,
      series_key TEXT NOT NULL,
      revision INTEGER NOT NULL,
      ruleset_version TEXT NOT NULL,
      patch_ids TEXT NOT NULL,
      complete INTEGER NOT NULL,
      findings INTEGER NOT NULL,
      output TEXT NOT NULL,
      reviewed_at INTEGER NOT NULL,
      UNIQUE (series_id, part)
    );
    CREATE TABLE IF NOT EXISTS watch_errors (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      scope TEXT NOT NULL,
      message TEXT NOT NULL
    );
  `),
];

/** Creates the watcher's tables if needed. Safe to call on every start. */
export function migrateWatchState(db: Db): void {
  migrate(db, 'watch', schema);
}

/** Typed access to the watcher's tables. Methods that change several rows run in one transaction. */
export class WatchState {
  constructor(readonly db: Db) {
    migrateWatchState(db);
  }

  registerSource(name: string, kind: string, at = Date.now()): void {
    this.db
      .prepare('INSERT INTO watch_sources (name, kind, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING')
      .run(name, kind, at);
  }

  checkpoint(source: string): string | undefined {
    const row = this.db.prepare('SELECT checkpoint FROM watch_sources WHERE name = ?').get(source) as
      | { checkpoint: string | null }
      | undefined;
    return row?.checkpoint ?? undefined;
  }

  /** True when this exact (source, locator) was handled before, whatever the outcome. */
  deliveryKnown(source: string, locator: string): boolean {
    return this.db.prepare('SELECT 1 FROM watch_deliveries WHERE source = ? AND locator = ?').get(source, locator) !== undefined;
  }

  /** Moves a source's checkpoint without a message (e.g. a public-inbox commit that removes one). */
  setCheckpoint(source: string, kind: string, checkpoint: string, at = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO watch_sources (name, kind, checkpoint, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET checkpoint = excluded.checkpoint, updated_at = excluded.updated_at`,
      )
      .run(source, kind, checkpoint, at);
  }

  /** A cover letter seen before, by Message-ID: lets a lone "[PATCH 1/1]" join its "0/1" cover. */
  coverIdentity(messageId: string, revision: number): SeriesIdentity | undefined {
    return this.db
      .prepare(
        `SELECT s.anchor, s.revision, s.expected, s.title FROM watch_messages m JOIN watch_series s ON s.id = m.series_id
         WHERE m.message_id = ? AND m.kind = 'cover' AND s.revision = ? LIMIT 1`,
      )
      .get(messageId, revision) as SeriesIdentity | undefined;
  }

  /** Stores one parsed message, its delivery and the source checkpoint in one transaction. */
  recordMessage(d: Delivery, c: Classification): RecordResult {
    return this.db.transaction((): RecordResult => {
      this.touchSource(d);
      const known = this.db
        .prepare('SELECT id, content_hash FROM watch_messages WHERE message_id = ?')
        .all(c.messageId) as Array<{ id: number; content_hash: string }>;
      const same = known.find((k) => k.content_hash === d.contentHash);
      if (same) {
        this.insertDelivery(d, same.id, 'duplicate');
        return { outcome: 'duplicate' };
      }
      if (known.length > 0) {
        const row = this.insertMessage(d, c.messageId, 'conflict', null, null, false);
        this.insertDelivery(d, row, 'new');
        return { outcome: 'new', kind: 'conflict' };
      }
      if (!c.series || (c.kind !== 'patch' && c.kind !== 'cover')) {
        const row = this.insertMessage(d, c.messageId, c.kind, null, null, false);
        this.insertDelivery(d, row, 'new');
        return { outcome: 'new', kind: c.kind };
      }
      const series = this.upsertSeries(c.series, d.at);
      let kind: MessageKind = c.kind;
      if (c.kind === 'patch') {
        const taken = this.db
          .prepare("SELECT 1 FROM watch_messages WHERE series_id = ? AND kind = 'patch' AND counter = ?")
          .get(series.id, c.counter ?? 0);
        if (taken) kind = 'stray';
      }
      const row = this.insertMessage(d, c.messageId, kind, series.id, kind === 'stray' ? null : (c.counter ?? null), kind !== 'stray');
      this.insertDelivery(d, row, 'new');
      const state = this.refreshSeriesState(series.id);
      return { outcome: 'new', kind, seriesId: series.id, seriesState: state };
    })();
  }

  /** Stores a message that could not be parsed. Returns false when it was quarantined before. */
  recordQuarantine(d: Delivery, reason: string, messageId?: string): boolean {
    return this.db.transaction((): boolean => {
      this.touchSource(d);
      const keep = d.raw.length <= QUARANTINE_RAW_LIMIT;
      const info = this.db
        .prepare(
          `INSERT INTO watch_quarantine (source, locator, message_id, reason, size, raw, at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(source, locator) DO NOTHING`,
        )
        .run(d.source, d.locator, messageId ?? null, reason, d.raw.length, keep ? d.raw : null, d.at);
      this.insertDelivery(d, null, 'quarantined');
      return info.changes > 0;
    })();
  }

  /** Records that a known (source, locator) was skipped, moving only the checkpoint. */
  recordSkip(d: Pick<Delivery, 'source' | 'sourceKind' | 'checkpoint' | 'at'>): void {
    if (d.checkpoint !== undefined) this.setCheckpoint(d.source, d.sourceKind, d.checkpoint, d.at);
  }

  /** Series whose review is owed now: complete ones, and pending ones quiet since `quietBefore`. */
  dueSeries(quietBefore: number): Array<{ id: number; complete: boolean }> {
    const rows = this.db
      .prepare(
        `SELECT id, state FROM watch_series
         WHERE state = 'complete' OR (state = 'pending' AND last_arrival <= ?)
         ORDER BY last_arrival, id`,
      )
      .all(quietBefore) as Array<{ id: number; state: SeriesState }>;
    return rows.map((r) => ({ id: r.id, complete: r.state === 'complete' }));
  }

  /** The earliest last arrival among pending series: when the next quiet period ends. */
  oldestPendingArrival(): number | undefined {
    const row = this.db.prepare("SELECT MIN(last_arrival) AS t FROM watch_series WHERE state = 'pending'").get() as {
      t: number | null;
    };
    return row.t ?? undefined;
  }

  seriesForReview(seriesId: number): SeriesForReview | undefined {
    const series = this.db.prepare('SELECT * FROM watch_series WHERE id = ?').get(seriesId) as SeriesRow | undefined;
    if (!series) return undefined;
    const rows = this.db
      .prepare(
        `SELECT m.id AS rowId, m.message_id AS messageId, m.counter, m.raw, m.kind, m.reviewed_part AS part,
                d.source, d.locator
         FROM watch_messages m LEFT JOIN watch_deliveries d ON d.message_row = m.id AND d.outcome = 'new'
         WHERE m.series_id = ? AND m.kind IN ('patch', 'cover') ORDER BY m.counter, m.id`,
      )
      .all(seriesId) as Array<StoredMessage & { kind: string; part: number | null; raw: Buffer | null }>;
    const out: SeriesForReview = { series, patches: [], reviewedCounters: [] };
    const seen = new Set<number>();
    for (const r of rows) {
      if (seen.has(r.rowId)) continue;
      seen.add(r.rowId);
      if (r.kind === 'patch' && r.part !== null) out.reviewedCounters.push(r.counter ?? 0);
      if (!r.raw) continue;
      const stored: StoredMessage = {
        rowId: r.rowId,
        messageId: r.messageId,
        counter: r.counter,
        raw: r.raw,
        source: r.source,
        locator: r.locator,
      };
      if (r.kind === 'cover') out.cover ??= stored;
      else if (r.part === null) out.patches.push(stored);
    }
    return out;
  }

  /** Records a review and the patches it covered; frees raw bytes once every counter is covered. */
  recordReview(r: ReviewRecord): number {
    return this.db.transaction((): number => {
      const series = this.db.prepare('SELECT parts, expected FROM watch_series WHERE id = ?').get(r.seriesId) as {
        parts: number;
        expected: number;
      };
      const part = series.parts + 1;
      this.db
        .prepare(
          `INSERT INTO watch_reviews (series_id, part, series_key, revision, ruleset_version, patch_ids, complete,
             findings, output, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(r.seriesId, part, r.seriesKey, r.revision, r.rulesetVersion, JSON.stringify(r.patchIds), r.complete ? 1 : 0, r.findings, r.output, r.at);
      const mark = this.db.prepare('UPDATE watch_messages SET reviewed_part = ? WHERE id = ? AND series_id = ?');
      for (const row of r.patchRows) mark.run(part, row, r.seriesId);
      this.db
        .prepare("UPDATE watch_series SET parts = ?, state = 'reviewed', attempts = 0, last_error = NULL WHERE id = ?")
        .run(part, r.seriesId);
      const covered = this.db
        .prepare(
          `SELECT COUNT(DISTINCT counter) AS n FROM watch_messages
           WHERE series_id = ? AND kind = 'patch' AND reviewed_part IS NOT NULL AND counter BETWEEN 1 AND ?`,
        )
        .get(r.seriesId, series.expected) as { n: number };
      if (covered.n >= series.expected) {
        this.db.prepare('UPDATE watch_messages SET raw = NULL WHERE series_id = ?').run(r.seriesId);
      }
      return part;
    })();
  }

  /** A failed review attempt; after `maxAttempts` the series is parked as failed. */
  recordReviewFailure(seriesId: number, message: string, maxAttempts: number, at = Date.now()): SeriesState {
    return this.db.transaction((): SeriesState => {
      const row = this.db.prepare('SELECT attempts, state FROM watch_series WHERE id = ?').get(seriesId) as {
        attempts: number;
        state: SeriesState;
      };
      const attempts = row.attempts + 1;
      const state: SeriesState = attempts >= maxAttempts ? 'failed' : row.state;
      this.db
        .prepare('UPDATE watch_series SET attempts = ?, last_error = ?, state = ? WHERE id = ?')
        .run(attempts, message, state, seriesId);
      this.insertError(`series ${seriesId}`, message, at);
      return state;
    })();
  }

  recordError(scope: string, message: string, at = Date.now()): void {
    this.db.transaction(() => this.insertError(scope, message, at))();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private insertError(scope: string, message: string, at: number): void {
    this.db.prepare('INSERT INTO watch_errors (at, scope, message) VALUES (?, ?, ?)').run(at, scope, message);
    this.db
      .prepare('DELETE FROM watch_errors WHERE id <= (SELECT MAX(id) FROM watch_errors) - ?')
      .run(KEEP_ERRORS);
  }

  private touchSource(d: Delivery): void {
    if (d.checkpoint !== undefined) this.setCheckpoint(d.source, d.sourceKind, d.checkpoint, d.at);
    else this.registerSource(d.source, d.sourceKind, d.at);
  }

  private insertDelivery(d: Delivery, row: number | null, outcome: DeliveryOutcome): void {
    this.db
      .prepare(
        `INSERT INTO watch_deliveries (source, locator, message_row, outcome, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(source, locator) DO UPDATE SET message_row = excluded.message_row, outcome = excluded.outcome, at = excluded.at`,
      )
      .run(d.source, d.locator, row, outcome, d.at);
  }

  private insertMessage(
    d: Delivery,
    messageId: string,
    kind: MessageKind,
    seriesId: number | null,
    counter: number | null,
    keepRaw: boolean,
  ): number {
    const info = this.db
      .prepare(
        `INSERT INTO watch_messages (message_id, content_hash, kind, series_id, counter, arrived_at, raw)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(messageId, d.contentHash, kind, seriesId, counter, d.at, keepRaw ? d.raw : null);
    // In this transaction: the mail outbox confirms its own replies as the list echoes them.
    messageStored(this.db, messageId);
    return Number(info.lastInsertRowid);
  }

  private upsertSeries(s: SeriesIdentity, at: number): { id: number } {
    this.db
      .prepare(
        `INSERT INTO watch_series (anchor, revision, expected, title, state, first_arrival, last_arrival)
         VALUES (?, ?, ?, ?, 'waiting', ?, ?)
         ON CONFLICT(anchor, revision, expected) DO UPDATE SET last_arrival = excluded.last_arrival`,
      )
      .run(s.anchor, s.revision, s.expected, s.title, at, at);
    return this.db
      .prepare('SELECT id FROM watch_series WHERE anchor = ? AND revision = ? AND expected = ?')
      .get(s.anchor, s.revision, s.expected) as { id: number };
  }

  /** Recomputes a series' state from its patches; a failed series stays failed. */
  private refreshSeriesState(seriesId: number): SeriesState {
    const s = this.db.prepare('SELECT state, expected, parts FROM watch_series WHERE id = ?').get(seriesId) as {
      state: SeriesState;
      expected: number;
      parts: number;
    };
    if (s.state === 'failed') return s.state;
    const rows = this.db
      .prepare("SELECT counter, reviewed_part AS part FROM watch_messages WHERE series_id = ? AND kind = 'patch'")
      .all(seriesId) as Array<{ counter: number; part: number | null }>;
    const unreviewed = rows.filter((r) => r.part === null).length;
    const counters = new Set(rows.map((r) => r.counter));
    let state: SeriesState;
    if (unreviewed === 0) state = s.parts > 0 ? 'reviewed' : 'waiting';
    else {
      let all = true;
      for (let i = 1; i <= s.expected && all; i++) all = counters.has(i);
      state = all ? 'complete' : 'pending';
    }
    if (state !== s.state) this.db.prepare('UPDATE watch_series SET state = ? WHERE id = ?').run(state, seriesId);
    return state;
  }
}
