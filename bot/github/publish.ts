// Posts a review draft once per head. The bot's earlier reviews are found by their hidden marker:
// the same head with the same digest means nothing to do; the same head with a new digest gets its
// body updated (and only the comments it lacks); a new head gets a new review and the older ones
// are collapsed to a pointer. A 422 for a line outside the diff falls back to a file-level comment,
// then to the review body.
import { readMarkers, supersededBody, withUnanchored, type GithubReviewComment, type GithubReviewDraft } from '../reporters/format-github-review.ts';
import { isStatus, type GithubApi, type ReviewRecord } from './api.ts';
import type { PullRef } from './pull-ref.ts';

export type PublishOutcome =
  | { action: 'unchanged'; reviewId: number }
  | { action: 'updated'; reviewId: number; added: number }
  | { action: 'created'; reviewId: number; inline: number; fileLevel: number; inBody: number; superseded: number };

interface Posted {
  inline: number;
  fileLevel: number;
  refused: GithubReviewComment[];
}

/** Posts comments one by one, each falling back from its line to its file to the body. */
async function postSingly(api: GithubApi, ref: PullRef, head: string, comments: readonly GithubReviewComment[]): Promise<Posted> {
  const posted: Posted = { inline: 0, fileLevel: 0, refused: [] };
  for (const c of comments) {
    if (c.line !== undefined) {
      try {
        await api.createReviewComment(ref, head, c);
        posted.inline++;
        continue;
      } catch (err) {
        if (!isStatus(err, 422)) throw err;
      }
    }
    try {
      await api.createReviewComment(ref, head, { path: c.path, body: c.body });
      posted.fileLevel++;
    } catch (err) {
      if (!isStatus(err, 422)) throw err;
      posted.refused.push(c);
    }
  }
  return posted;
}

async function create(api: GithubApi, ref: PullRef, draft: GithubReviewDraft): Promise<Omit<Extract<PublishOutcome, { action: 'created' }>, 'superseded'>> {
  const lineComments = draft.comments.filter((c) => c.line !== undefined);
  const fileComments = draft.comments.filter((c) => c.line === undefined);
  try {
    const reviewId = await api.createReview(ref, draft.headSha, draft.body, lineComments);
    // The create-review API takes line comments only; file-level ones are posted on their own.
    const rest = await postSingly(api, ref, draft.headSha, fileComments);
    if (rest.refused.length > 0) await api.updateReview(ref, reviewId, withUnanchored(draft.body, rest.refused));
    return { action: 'created', reviewId, inline: lineComments.length, fileLevel: rest.fileLevel, inBody: rest.refused.length };
  } catch (err) {
    // GitHub refuses the whole review when one line is outside the diff and does not say which.
    if (!isStatus(err, 422) || lineComments.length === 0) throw err;
  }
  const posted = await postSingly(api, ref, draft.headSha, draft.comments);
  const reviewId = await api.createReview(ref, draft.headSha, withUnanchored(draft.body, posted.refused), []);
  return { action: 'created', reviewId, inline: posted.inline, fileLevel: posted.fileLevel, inBody: posted.refused.length };
}

async function update(api: GithubApi, ref: PullRef, previous: ReviewRecord, draft: GithubReviewDraft): Promise<PublishOutcome> {
  const existing = await api.listReviewComments(ref);
  const known = new Set(existing.filter((c) => c.commitId === draft.headSha).map((c) => `${c.path}\0${c.line ?? ''}\0${c.body}`));
  const missing = draft.comments.filter((c) => !known.has(`${c.path}\0${c.line ?? ''}\0${c.body}`));
  const posted = await postSingly(api, ref, draft.headSha, missing);
  await api.updateReview(ref, previous.id, withUnanchored(draft.body, posted.refused));
  return { action: 'updated', reviewId: previous.id, added: posted.inline + posted.fileLevel };
}

export async function publishReview(api: GithubApi, ref: PullRef, draft: GithubReviewDraft): Promise<PublishOutcome> {
  const ours = (await api.listReviews(ref)).map((r) => ({ r, m: readMarkers(r.body) })).filter((x) => x.m.ours);
  const sameHead = ours.find((x) => x.m.head === draft.headSha && !x.m.superseded);
  if (sameHead) {
    if (sameHead.m.digest === draft.digest) return { action: 'unchanged', reviewId: sameHead.r.id };
    return update(api, ref, sameHead.r, draft);
  }
  const created = await create(api, ref, draft);
  const older = ours.filter((x) => !x.m.superseded);
  for (const x of older) await api.updateReview(ref, x.r.id, supersededBody(x.r.body, draft.headSha));
  return { ...created, superseded: older.length };
}
