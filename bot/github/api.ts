// The GitHub calls the bot makes, in one place with plain types: fetching a pull request
// (commits as patches, changed files) and reading and writing its reviews.
import { RequestError } from 'octokit';
import type { GithubClient } from './client.ts';
import type { PullRef, RepoRef } from './pull-ref.ts';

/** GitHub lists at most this many commits of a PR; beyond it the compare API pages on. */
const PULL_COMMITS_LIMIT = 250;
const PER_PAGE = 100;

export interface PullInfo {
  number: number;
  title: string;
  body: string;
  author: string;
  createdAt: string;
  headSha: string;
  baseSha: string;
  commitCount: number;
}

export interface PullFile {
  path: string;
  previousPath?: string;
  status: string;
  /** The file's part of the PR diff; GitHub leaves it out for large diffs. */
  patch?: string;
}

export interface ReviewRecord {
  id: number;
  body: string;
  commitId: string | null;
}

export interface ReviewCommentRecord {
  id: number;
  path: string;
  line: number | null;
  body: string;
  commitId: string;
}

export interface ReviewCommentInput {
  path: string;
  body: string;
  line?: number;
  side?: 'RIGHT';
}

export interface OpenPull {
  number: number;
  headSha: string;
}

export function isStatus(err: unknown, status: number): boolean {
  return err instanceof RequestError && err.status === status;
}

export class GithubApi {
  constructor(readonly client: GithubClient) {}

  async getPull(ref: PullRef): Promise<PullInfo> {
    const { data } = await this.client.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.pull });
    return {
      number: data.number,
      title: data.title,
      body: data.body ?? '',
      author: data.user.login,
      createdAt: data.created_at,
      headSha: data.head.sha,
      baseSha: data.base.sha,
      commitCount: data.commits,
    };
  }

  /** Commit ids oldest first; past GitHub's 250-commit listing cap it pages through compare. */
  async listCommitShas(ref: PullRef, pull: PullInfo): Promise<string[]> {
    if (pull.commitCount <= PULL_COMMITS_LIMIT) {
      const commits = await this.client.paginate(this.client.rest.pulls.listCommits, {
        owner: ref.owner,
        repo: ref.repo,
        pull_number: ref.pull,
        per_page: PER_PAGE,
      });
      return commits.map((c) => c.sha);
    }
    const shas: string[] = [];
    for (let page = 1; shas.length < pull.commitCount; page++) {
      const { data } = await this.client.rest.repos.compareCommitsWithBasehead({
        owner: ref.owner,
        repo: ref.repo,
        basehead: `${pull.baseSha}...${pull.headSha}`,
        per_page: PER_PAGE,
        page,
      });
      if (data.commits.length === 0) break;
      shas.push(...data.commits.map((c) => c.sha));
    }
    return shas;
  }

  /** One commit as `git format-patch` text (the patch media type). */
  async getCommitPatch(repo: RepoRef, sha: string): Promise<string> {
    const { data } = await this.client.rest.repos.getCommit({ owner: repo.owner, repo: repo.repo, ref: sha, mediaType: { format: 'patch' } });
    return data as unknown as string;
  }

  async listFiles(ref: PullRef): Promise<PullFile[]> {
    const files = await this.client.paginate(this.client.rest.pulls.listFiles, {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pull,
      per_page: PER_PAGE,
    });
    return files.map((f) => ({
      path: f.filename,
      status: f.status,
      ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
    }));
  }

  async listReviews(ref: PullRef): Promise<ReviewRecord[]> {
    const reviews = await this.client.paginate(this.client.rest.pulls.listReviews, {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pull,
      per_page: PER_PAGE,
    });
    return reviews.map((r) => ({ id: r.id, body: r.body, commitId: r.commit_id }));
  }

  async createReview(ref: PullRef, commitId: string, body: string, comments: ReviewCommentInput[]): Promise<number> {
    const { data } = await this.client.rest.pulls.createReview({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pull,
      commit_id: commitId,
      event: 'COMMENT',
      body,
      ...(comments.length > 0 ? { comments } : {}),
    });
    return data.id;
  }

  async updateReview(ref: PullRef, reviewId: number, body: string): Promise<void> {
    await this.client.rest.pulls.updateReview({ owner: ref.owner, repo: ref.repo, pull_number: ref.pull, review_id: reviewId, body });
  }

  async listReviewComments(ref: PullRef): Promise<ReviewCommentRecord[]> {
    const comments = await this.client.paginate(this.client.rest.pulls.listReviewComments, {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pull,
      per_page: PER_PAGE,
    });
    return comments.map((c) => ({ id: c.id, path: c.path, line: c.line ?? null, body: c.body, commitId: c.commit_id }));
  }

  /** A single comment: at a line, or on the whole file when `line` is absent. */
  async createReviewComment(ref: PullRef, commitId: string, c: ReviewCommentInput): Promise<void> {
    const common = { owner: ref.owner, repo: ref.repo, pull_number: ref.pull, commit_id: commitId, path: c.path, body: c.body };
    if (c.line === undefined) await this.client.rest.pulls.createReviewComment({ ...common, subject_type: 'file' });
    else await this.client.rest.pulls.createReviewComment({ ...common, line: c.line, side: c.side ?? 'RIGHT' });
  }

  /**
   * Open PRs, most recently updated first, with a conditional request on the first page: an
   * unchanged first page (304, free of rate limit) means no PR got a new head since `etag`.
   */
  async listOpenPulls(repo: RepoRef, etag: string | undefined): Promise<{ notModified: true } | { notModified: false; etag?: string; pulls: OpenPull[] }> {
    const params = { owner: repo.owner, repo: repo.repo, state: 'open', sort: 'updated', direction: 'desc', per_page: PER_PAGE } as const;
    let first;
    try {
      first = await this.client.rest.pulls.list({ ...params, ...(etag ? { headers: { 'if-none-match': etag } } : {}) });
    } catch (err) {
      if (isStatus(err, 304)) return { notModified: true };
      throw err;
    }
    const pulls = first.data.map((p) => ({ number: p.number, headSha: p.head.sha }));
    if (first.data.length === PER_PAGE) {
      const rest = await this.client.paginate(this.client.rest.pulls.list, { ...params, page: 2 });
      pulls.push(...rest.map((p) => ({ number: p.number, headSha: p.head.sha })));
    }
    return { notModified: false, ...(first.headers.etag ? { etag: first.headers.etag } : {}), pulls };
  }
}
