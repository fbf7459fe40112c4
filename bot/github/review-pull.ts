// `deptbot github review` without the command line: fetch the PR, review it as a series, place
// the findings on the PR diff, and post the review (or hand it back for --dry-run).
import type { Review } from '../model.ts';
import { formatGithubReview, type GithubReviewDraft } from '../reporters/format-github-review.ts';
import type { GithubApi } from './api.ts';
import { placeFindings, type Placement } from './anchor.ts';
import { buildSeries } from './build-series.ts';
import { fetchPullSnapshot, type PullSnapshot } from './fetch-pull.ts';
import { publishReview, type PublishOutcome } from './publish.ts';
import type { PullRef } from './pull-ref.ts';
import type { GithubStages } from './stages.ts';

export interface ReviewPullOptions {
  dryRun: boolean;
  maxCommits: number;
}

export interface ReviewPullResult {
  snapshot: PullSnapshot;
  review: Review;
  placements: Placement[];
  draft: GithubReviewDraft;
  /** Absent for a dry run. */
  outcome?: PublishOutcome;
}

export async function reviewPull(api: GithubApi, ref: PullRef, stages: GithubStages, opts: ReviewPullOptions): Promise<ReviewPullResult> {
  const snapshot = await fetchPullSnapshot(api, ref, { maxCommits: opts.maxCommits });
  const series = await buildSeries(snapshot, stages);
  const review = await stages.reviewSeries(series);
  const placements = placeFindings(review, snapshot.files);
  const draft = formatGithubReview(review, placements, snapshot.pull.headSha);
  if (opts.dryRun) return { snapshot, review, placements, draft };
  const outcome = await publishReview(api, ref, draft);
  return { snapshot, review, placements, draft, outcome };
}

/** The review with each finding's line moved to the head commit, for SARIF on the head. */
export function reviewAtHead(review: Review, placements: readonly Placement[]): Review {
  return {
    ...review,
    findings: review.findings.map((f, i) => {
      const p = placements[i];
      if (p?.kind === 'line') return { ...f, file: p.path, line: p.line, side: 'new' as const };
      if (p?.kind === 'file') return { ...f, file: p.path, line: undefined };
      return f;
    }),
  };
}
