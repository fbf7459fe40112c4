// `deptbot github watch`: poll a repository's open PRs and review each new head once. The listing
// is a conditional request; its ETag is saved only after every listed PR was handled, so a failed
// review is retried on the next poll instead of hiding behind a 304.
import { oneLine } from '../errors.ts';
import type { GithubState } from '../store/github-state.ts';
import { sleep } from '../watch/sleep.ts';
import type { GithubApi } from './api.ts';
import type { PullRef, RepoRef } from './pull-ref.ts';

export interface PollResult {
  notModified: boolean;
  reviewed: number;
  failed: number;
}

export interface PollOptions {
  api: GithubApi;
  repo: RepoRef;
  state: GithubState;
  /** Reviews one PR head; returns the outcome word and review id to remember. */
  review(ref: PullRef, headSha: string): Promise<{ outcome: string; reviewId: number | null }>;
  warn(message: string): void;
}

export async function pollOnce(o: PollOptions): Promise<PollResult> {
  const name = `${o.repo.owner}/${o.repo.repo}`;
  const listing = await o.api.listOpenPulls(o.repo, o.state.etag(name));
  if (listing.notModified) return { notModified: true, reviewed: 0, failed: 0 };
  let reviewed = 0;
  let failed = 0;
  for (const pull of listing.pulls) {
    if (o.state.hasReviewed(name, pull.number, pull.headSha)) continue;
    try {
      const result = await o.review({ ...o.repo, pull: pull.number }, pull.headSha);
      o.state.markReviewed({ repo: name, pull: pull.number, headSha: pull.headSha, ...result });
      reviewed++;
    } catch (err) {
      failed++;
      o.warn(`${name}#${pull.number}: ${oneLine(err)}`);
    }
  }
  if (failed === 0 && listing.etag) o.state.setEtag(name, listing.etag);
  return { notModified: false, reviewed, failed };
}

/** Polls until the signal aborts (or once). */
export async function watchRepo(o: PollOptions & { intervalMs: number; once: boolean; signal?: AbortSignal; onPoll?(r: PollResult): void }): Promise<void> {
  for (;;) {
    const result = await pollOnce(o);
    o.onPoll?.(result);
    if (o.once || o.signal?.aborted) return;
    await sleep(o.intervalMs, o.signal);
    if (o.signal?.aborted) return;
  }
}
