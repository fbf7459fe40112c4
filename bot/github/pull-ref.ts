// "owner/name" + PR number, parsed once from the command line.
import { UsageError } from '../errors.ts';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRef extends RepoRef {
  pull: number;
}

export function parseRepo(text: string): RepoRef {
  const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(text.trim());
  if (!m?.[1] || !m[2]) throw new UsageError(`--repo: expected owner/name, got "${text}"`);
  return { owner: m[1], repo: m[2] };
}

export function parsePullNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--pr: expected a pull request number, got "${text}"`);
  return n;
}

export function describePull(ref: PullRef): string {
  return `${ref.owner}/${ref.repo}#${ref.pull}`;
}
