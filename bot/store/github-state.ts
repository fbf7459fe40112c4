// What `deptbot github watch` remembers between polls: the ETag of each repository's open-PR
// listing (so an unchanged listing costs a free 304) and which PR heads it has reviewed.
import { migrate, type Db } from './db.ts';

const steps: ReadonlyArray<(db: Db) => void> = [
  (db) => {
    db.exec(`CREATE TABLE IF NOT EXISTS github_etags (
      repo TEXT PRIMARY KEY,
      etag TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    db.exec(`CREATE TABLE IF NOT EXISTS github_reviewed_heads (
      repo TEXT NOT NULL,
      pull INTEGER NOT NULL,
      head_sha TEXT NOT NULL,
      outcome TEXT NOT NULL,
      review_id INTEGER,
      reviewed_at INTEGER NOT NULL,
      PRIMARY KEY (repo, pull, head_sha)
    )`);
  },
];

export interface ReviewedHead {
  repo: string;
  pull: number;
  headSha: string;
  outcome: string;
  reviewId: number | null;
}

export class GithubState {
  constructor(private readonly db: Db) {
    migrate(db, 'github', steps);
  }

  etag(repo: string): string | undefined {
    const row = this.db.prepare('SELECT etag FROM github_etags WHERE repo = ?').get(repo) as { etag: string } | undefined;
    return row?.etag;
  }

  setEtag(repo: string, etag: string): void {
    this.db
      .prepare(
        `INSERT INTO github_etags (repo, etag, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(repo) DO UPDATE SET etag = excluded.etag, updated_at = excluded.updated_at`,
      )
      .run(repo, etag, Date.now());
  }

  hasReviewed(repo: string, pull: number, headSha: string): boolean {
    return this.db.prepare('SELECT 1 FROM github_reviewed_heads WHERE repo = ? AND pull = ? AND head_sha = ?').get(repo, pull, headSha) !== undefined;
  }

  markReviewed(head: ReviewedHead): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO github_reviewed_heads (repo, pull, head_sha, outcome, review_id, reviewed_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(head.repo, head.pull, head.headSha, head.outcome, head.reviewId, Date.now());
  }

  reviewedHeads(repo: string): ReviewedHead[] {
    const rows = this.db
      .prepare('SELECT repo, pull, head_sha, outcome, review_id FROM github_reviewed_heads WHERE repo = ? ORDER BY pull, reviewed_at')
      .all(repo) as Array<{ repo: string; pull: number; head_sha: string; outcome: string; review_id: number | null }>;
    return rows.map((r) => ({ repo: r.repo, pull: r.pull, headSha: r.head_sha, outcome: r.outcome, reviewId: r.review_id }));
  }
}
