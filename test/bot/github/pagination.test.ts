import { afterEach, expect, it } from 'vitest';
import { runGithubReview } from '../../../bot/github/run.ts';
import { startGithubFake, type GithubFake } from '../../helpers/github-fake/server.ts';
import { syntheticPull } from '../../helpers/github-fake/synthetic-pull.ts';
import { captureEnv, stagesWith } from '../../helpers/github-fake/harness.ts';

let fake: GithubFake;
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

it('reviews a PR with 300 commits and 3,000 changed files through every page', async () => {
  fake = await startGithubFake();
  fake.addPull('big', 'tree', syntheticPull(3, 300, 10));
  let seen = 0;
  const run = captureEnv(
    stagesWith((series) => {
      seen = series.patches.length;
      // One finding in the last commit's last file: only reachable through the last files page.
      const last = series.patches[series.patches.length - 1];
      const file = last?.files[last.files.length - 1];
      return file ? [{ ruleId: 'test/last', severity: 'warning', message: 'in the last file', patch: last?.index ?? 0, file: file.path, line: 3 }] : [];
    }),
  );
  await runGithubReview({ repo: 'big/tree', pr: '3', apiUrl: fake.url }, run.env);
  expect(seen).toBe(300);
  // GitHub lists at most 250 commits of a PR; the bot pages the compare API instead.
  expect(fake.seen('GET /repos/{owner}/{repo}/compare/{basehead}')).toHaveLength(3);
  expect(fake.seen('GET /repos/{owner}/{repo}/commits/{ref}')).toHaveLength(300);
  expect(fake.seen('GET /repos/{owner}/{repo}/pulls/{pull_number}/files')).toHaveLength(30);
  expect(fake.state.comments.map((c) => [c.path, c.line])).toEqual([['drivers/synthetic/c300/f10.c', 3]]);
});

it('pages the PR commit listing when it is within GitHub’s 250-commit cap', async () => {
  fake = await startGithubFake();
  fake.addPull('big', 'tree', syntheticPull(4, 230, 1));
  let seen = 0;
  await runGithubReview(
    { repo: 'big/tree', pr: '4', apiUrl: fake.url, dryRun: true },
    captureEnv(stagesWith((s) => ((seen = s.patches.length), []))).env,
  );
  expect(seen).toBe(230);
  expect(fake.seen('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits')).toHaveLength(3);
  expect(fake.seen('GET /repos/{owner}/{repo}/compare/{basehead}')).toHaveLength(0);
});
