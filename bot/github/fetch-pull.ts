// Everything the review needs from one pull request, fetched once: the PR (its body is the cover
// letter), each commit as a patch in order, and the changed files of the PR diff.
import { InputError } from '../errors.ts';
import type { GithubApi, PullFile, PullInfo } from './api.ts';
import { describePull, type PullRef } from './pull-ref.ts';

export interface CommitPatch {
  sha: string;
  /** `git format-patch` text of the commit. */
  patch: string;
}

export interface PullSnapshot {
  ref: PullRef;
  pull: PullInfo;
  commits: CommitPatch[];
  files: PullFile[];
}

/** Patches are fetched a few at a time; the throttling plugin keeps the overall pace. */
const PATCH_CONCURRENCY = 8;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function fetchPullSnapshot(api: GithubApi, ref: PullRef, opts: { maxCommits: number }): Promise<PullSnapshot> {
  const pull = await api.getPull(ref);
  if (pull.commitCount > opts.maxCommits) {
    throw new InputError(describePull(ref), `${pull.commitCount} commits, more than github.maxCommits (${opts.maxCommits})`);
  }
  const shas = await api.listCommitShas(ref, pull);
  if (shas.length !== pull.commitCount) {
    throw new InputError(describePull(ref), `GitHub listed ${shas.length} of ${pull.commitCount} commits`);
  }
  const commits = await mapLimit(shas, PATCH_CONCURRENCY, async (sha) => ({ sha, patch: await api.getCommitPatch(ref, sha) }));
  const files = await api.listFiles(ref);
  return { ref, pull, commits, files };
}
