// GitHub's behaviour for the endpoints the bot uses, on the fake's state: pagination with Link
// headers and GitHub's caps (250 commits per PR listing, 3,000 files), commits as patches, and
// review semantics (comments must hit a line of the PR diff, else 422).
import { rightSideLines } from './diff-lines.ts';
import type { FakeCommit, FakeFile, FakePull, FakeReview, FakeReviewComment } from './model.ts';
import type { FakeState } from './server.ts';

export interface HandlerRequest {
  operation: string;
  params: Record<string, string>;
  query: URLSearchParams;
  json: unknown;
  accept: string;
  /** Request path below the API prefix, with its query string (for Link headers). */
  pathWithQuery: string;
}

export interface HandlerResult {
  status: number;
  data?: unknown;
  /** A text answer (patch media type) instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
}

const PULL_COMMITS_CAP = 250;
const PULL_FILES_CAP = 3000;
const COMPARE_FILES_CAP = 300;

const notFound: HandlerResult = { status: 404, data: { message: 'Not Found', status: '404' } };

function unprocessable(error: string): HandlerResult {
  return { status: 422, data: { message: 'Unprocessable Entity', errors: [error], status: '422' } };
}

function userJson(login: string): object {
  return { login, id: login.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}

function page<T>(state: FakeState, req: HandlerRequest, items: T[], defaultPerPage = 30): { status: 200; data: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Number(req.query.get('per_page') ?? defaultPerPage), 100);
  const current = Number(req.query.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string): string => {
    const u = new URL(`${state.baseUrl}${req.pathWithQuery}`);
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (current < last) links.push(link(current + 1, 'next'), link(last, 'last'));
  if (current > 1) links.push(link(1, 'first'), link(current - 1, 'prev'));
  return {
    status: 200,
    data: items.slice((current - 1) * perPage, current * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

function pullJson(state: FakeState, owner: string, repo: string, p: FakePull): object {
  return {
    url: `${state.baseUrl}/repos/${owner}/${repo}/pulls/${p.number}`,
    id: p.number + 500_000,
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    user: userJson(p.user),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    head: { ref: p.head.ref, sha: p.head.sha, label: `${owner}:${p.head.ref}` },
    base: { ref: p.base.ref, sha: p.base.sha, label: `${owner}:${p.base.ref}` },
    commits: p.commits.length,
    changed_files: p.files.length,
    additions: p.files.reduce((n, f) => n + f.additions, 0),
    deletions: p.files.reduce((n, f) => n + f.deletions, 0),
  };
}

function commitJson(c: FakeCommit): object {
  return {
    sha: c.sha,
    commit: {
      message: c.message,
      author: c.author,
      committer: c.author,
    },
    parents: [],
  };
}

function fileJson(f: FakeFile): object {
  const { hidePatch, patch, ...rest } = f;
  return { ...rest, changes: f.additions + f.deletions, ...(patch !== undefined && !hidePatch ? { patch } : {}) };
}

function reviewJson(r: FakeReview): object {
  const { pull: _pull, user, ...rest } = r;
  return { ...rest, user: userJson(user), author_association: 'NONE' };
}

function commentJson(c: FakeReviewComment): object {
  const { pull: _pull, user, ...rest } = c;
  return { ...rest, user: userJson(user) };
}

/** Checks a review comment against the PR diff the way GitHub does; returns the 422 error or null. */
function commentProblem(pull: FakePull, c: { path: string; line?: number; side?: string; subject_type?: string; position?: number }): string | null {
  const file = pull.files.find((f) => f.filename === c.path);
  if (!file) return 'Path could not be resolved';
  if (c.subject_type === 'file') return null;
  if (c.position !== undefined) return 'position is closing down; the bot must send line and side';
  if (c.line === undefined) return 'line is required for a line comment';
  if ((c.side ?? 'RIGHT') !== 'RIGHT') return null;
  if (file.patch !== undefined && !rightSideLines(file.patch).has(c.line)) {
    return 'Pull request review thread line must be part of the diff';
  }
  return null;
}

export function handle(state: FakeState, req: HandlerRequest): HandlerResult {
  const { owner = '', repo = '' } = req.params;
  const repository = state.repos.get(`${owner}/${repo}`);
  if (!repository) return notFound;
  const pull = req.params.pull_number ? repository.pulls.get(Number(req.params.pull_number)) : undefined;
  if (req.params.pull_number && !pull) return notFound;
  const now = new Date().toISOString();

  switch (req.operation) {
    case 'GET /repos/{owner}/{repo}/pulls': {
      const wanted = req.query.get('state') ?? 'open';
      let list = [...repository.pulls.values()].filter((p) => wanted === 'all' || p.state === wanted);
      const sort = req.query.get('sort') ?? 'created';
      const key = (p: FakePull): string => (sort === 'updated' ? p.updatedAt : p.createdAt);
      const asc = (req.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc')) === 'asc';
      list = list.sort((a, b) => (asc ? key(a).localeCompare(key(b)) : key(b).localeCompare(key(a))));
      return page(state, req, list.map((p) => pullJson(state, owner, repo, p)));
    }
    case 'GET /repos/{owner}/{repo}/pulls/{pull_number}':
      return { status: 200, data: pullJson(state, owner, repo, pull as FakePull) };
    case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits':
      return page(state, req, (pull as FakePull).commits.slice(0, PULL_COMMITS_CAP).map(commitJson));
    case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files':
      return page(state, req, (pull as FakePull).files.slice(0, PULL_FILES_CAP).map(fileJson));
    case 'GET /repos/{owner}/{repo}/compare/{basehead}': {
      const [base, head] = (req.params.basehead ?? '').split('...');
      const p = [...repository.pulls.values()].find((x) => x.base.sha === base && x.head.sha === head);
      if (!p) return notFound;
      const commits = page(state, req, p.commits.map(commitJson));
      const first = Number(req.query.get('page') ?? 1) === 1;
      return {
        status: 200,
        headers: commits.headers,
        data: {
          status: 'ahead',
          ahead_by: p.commits.length,
          behind_by: 0,
          total_commits: p.commits.length,
          commits: commits.data,
          files: first ? p.files.slice(0, COMPARE_FILES_CAP).map(fileJson) : [],
        },
      };
    }
    case 'GET /repos/{owner}/{repo}/commits/{ref}': {
      const commit = [...repository.pulls.values()].flatMap((p) => p.commits).find((c) => c.sha === req.params.ref);
      if (!commit) return unprocessable(`No commit found for SHA: ${req.params.ref ?? ''}`);
      if (/application\/vnd\.github(\.v3)?\.patch/.test(req.accept)) return { status: 200, text: commit.patch };
      return { status: 200, data: commitJson(commit) };
    }
    case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews':
      return page(state, req, state.reviews.filter((r) => r.pull === pull?.number).map(reviewJson));
    case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews': {
      const p = pull as FakePull;
      const body = req.json as {
        commit_id?: string;
        body?: string;
        event?: string;
        comments?: Array<{ path: string; line?: number; side?: string; body: string; position?: number }>;
      };
      if (body.commit_id && !p.commits.some((c) => c.sha === body.commit_id)) return unprocessable('commit_id is not part of the pull request');
      if (body.event !== 'COMMENT') return unprocessable('the fake only accepts COMMENT reviews from the bot');
      if (!body.body && !(body.comments?.length)) return unprocessable('Body is required for a COMMENT review without comments');
      for (const c of body.comments ?? []) {
        const problem = commentProblem(p, c);
        if (problem) return unprocessable(problem);
      }
      const review: FakeReview = {
        id: state.nextId(),
        pull: p.number,
        body: body.body ?? '',
        commit_id: body.commit_id ?? p.head.sha,
        state: 'COMMENTED',
        user: state.botLogin,
        submitted_at: now,
      };
      state.reviews.push(review);
      for (const c of body.comments ?? []) {
        state.comments.push({
          id: state.nextId(),
          pull: p.number,
          pull_request_review_id: review.id,
          path: c.path,
          line: c.line ?? null,
          side: c.side === 'LEFT' ? 'LEFT' : 'RIGHT',
          subject_type: 'line',
          commit_id: review.commit_id,
          body: c.body,
          user: state.botLogin,
          created_at: now,
        });
      }
      return { status: 200, data: reviewJson(review) };
    }
    case 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}': {
      const review = state.reviews.find((r) => r.id === Number(req.params.review_id) && r.pull === pull?.number);
      if (!review) return notFound;
      review.body = (req.json as { body: string }).body;
      return { status: 200, data: reviewJson(review) };
    }
    case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments':
      return page(state, req, state.comments.filter((c) => c.pull === pull?.number).map(commentJson));
    case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments': {
      const p = pull as FakePull;
      const c = req.json as { body: string; commit_id: string; path: string; line?: number; side?: string; subject_type?: string };
      if (!p.commits.some((x) => x.sha === c.commit_id)) return unprocessable('commit_id is not part of the pull request');
      const problem = commentProblem(p, c);
      if (problem) return unprocessable(problem);
      // A lone review comment makes GitHub create a review around it, with an empty body.
      const review: FakeReview = { id: state.nextId(), pull: p.number, body: '', commit_id: c.commit_id, state: 'COMMENTED', user: state.botLogin, submitted_at: now };
      state.reviews.push(review);
      const comment: FakeReviewComment = {
        id: state.nextId(),
        pull: p.number,
        pull_request_review_id: review.id,
        path: c.path,
        line: c.subject_type === 'file' ? null : (c.line ?? null),
        side: c.subject_type === 'file' ? null : c.side === 'LEFT' ? 'LEFT' : 'RIGHT',
        subject_type: c.subject_type === 'file' ? 'file' : 'line',
        commit_id: c.commit_id,
        body: c.body,
        user: state.botLogin,
        created_at: now,
      };
      state.comments.push(comment);
      return { status: 201, data: commentJson(comment) };
    }
    default:
      return { status: 501, data: { message: `the fake does not implement ${req.operation}` } };
  }
}
