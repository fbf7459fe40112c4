// A pull request as a Series: the PR body is the cover letter, commit i is patch i (GitHub's
// patches all say "[PATCH]", so the counter comes from the commit order). The key names the
// repository, PR and head commit, so a new head is a new series.
import type { Message, Patch, Series } from '../model.ts';
import { oneLine } from '../errors.ts';
import { commitMessage, coverMessage } from '../sources/github.ts';
import type { PullSnapshot } from './fetch-pull.ts';
import type { GithubStages } from './stages.ts';

export function seriesKey(s: PullSnapshot): string {
  return `github:${s.ref.owner}/${s.ref.repo}#${s.ref.pull}@${s.pull.headSha}`;
}

export async function buildSeries(s: PullSnapshot, stages: GithubStages): Promise<Series> {
  const notes: string[] = [];
  let cover: Message | undefined;
  try {
    cover = await stages.parseMessage(coverMessage(s));
  } catch (err) {
    notes.push(`cover letter (PR body) not readable: ${oneLine(err)}`);
  }
  const patches: Patch[] = [];
  const missing: number[] = [];
  for (let i = 0; i < s.commits.length; i++) {
    try {
      const patch = stages.toPatch(await stages.parseMessage(commitMessage(s, i)));
      patches.push({ ...patch, index: i + 1 });
    } catch (err) {
      missing.push(i + 1);
      notes.push(`commit ${i + 1}/${s.commits.length} (${s.commits[i]?.sha.slice(0, 12)}) not readable: ${oneLine(err)}`);
    }
  }
  return {
    key: seriesKey(s),
    title: s.pull.title,
    revision: 1,
    expected: s.commits.length,
    ...(cover ? { cover } : {}),
    patches,
    missing,
    complete: missing.length === 0,
    followUps: [],
    notes,
  };
}
