// The state database: one SQLite file on disk. WAL so `deptbot status` can read while a watch
// writes; each feature keeps its tables in its own file (bot/store/<feature>.ts) and migrates them
// through `migrate()`, which records a version per feature.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { InputError, oneLine } from '../errors.ts';

export type Db = Database.Database;

export interface OpenDbOptions {
  readonly?: boolean;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/** Opens (and creates, unless readonly) the state file with WAL, foreign keys and a busy timeout. */
export function openDb(path: string, opts: OpenDbOptions = {}): Db {
  let db: Db;
  try {
    if (!opts.readonly) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode survives a killed process; only a power loss can drop the last commits.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!opts.readonly) {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
        feature TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      )`);
    }
  } catch (err) {
    throw new InputError(path, `cannot open state database (${oneLine(err)})`);
  }
  return db;
}

/** The schema version a feature's tables are at; 0 when it never ran. */
export function schemaVersion(db: Db, feature: string): number {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'")
    .get();
  if (!hasTable) return 0;
  const row = db.prepare('SELECT version FROM schema_versions WHERE feature = ?').get(feature) as
    | { version: number }
    | undefined;
  return row?.version ?? 0;
}

/**
 * Brings a feature's tables up to date: step i (0-based) moves from version i to i + 1. Steps run
 * in one transaction each, so a crash mid-migration leaves the previous version intact.
 */
export function migrate(db: Db, feature: string, steps: ReadonlyArray<(db: Db) => void>): void {
  const current = schemaVersion(db, feature);
  if (current > steps.length) {
    throw new InputError(db.name, `state was written by a newer deptbot (${feature} schema ${current})`);
  }
  for (let v = current; v < steps.length; v++) {
    const step = steps[v];
    if (!step) continue;
    db.transaction(() => {
      step(db);
      db.prepare(
        `INSERT INTO schema_versions (feature, version, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(feature) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
      ).run(feature, v + 1, Date.now());
    })();
  }
}
