// What the fake GitHub knows: repositories with pull requests, their commits (as format-patch text)
// and changed files, and what the bot posted (reviews, review comments).

export interface FakeCommit {
  sha: string;
  /** `git format-patch` text, as GitHub answers for `Accept: application/vnd.github.patch`. */
  patch: string;
  /** Commit message (subject + body). */
  message: string;
  author: { name: string; email: string; date: string };
}

export interface FakeFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
  additions: number;
  deletions: number;
  /** The file's part of the PR diff (base...head). */
  patch?: string;
  /** GitHub leaves `patch` out of large diffs; the fake still knows it and judges comments by it. */
  hidePatch?: boolean;
}

export interface FakePull {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  user: string;
  createdAt: string;
  updatedAt: string;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  commits: FakeCommit[];
  files: FakeFile[];
}

export interface FakeReview {
  id: number;
  pull: number;
  body: string;
  commit_id: string;
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED';
  user: string;
  submitted_at: string;
}

export interface FakeReviewComment {
  id: number;
  pull: number;
  pull_request_review_id: number;
  path: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT' | null;
  subject_type: 'line' | 'file';
  commit_id: string;
  body: string;
  user: string;
  created_at: string;
}

export interface FakeRepo {
  owner: string;
  name: string;
  pulls: Map<number, FakePull>;
}

/** A canned answer for the next matching requests (rate limits, server errors). */
export interface Fault {
  /** Operation as "METHOD /template", e.g. "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews". */
  operation: string;
  /** How many matching requests get this answer; default 1. */
  times?: number;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One request as the fake saw it, for assertions. */
export interface SeenRequest {
  method: string;
  path: string;
  operation?: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json?: unknown;
}
