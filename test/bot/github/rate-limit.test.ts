import { afterEach, expect, it } from 'vitest';
import { runGithubReview } from '../../../bot/github/run.ts';
import { startGithubFake, type GithubFake } from '../../helpers/github-fake/server.ts';
import { syntheticPull } from '../../helpers/github-fake/synthetic-pull.ts';
import { captureEnv, stagesWith, testApi } from '../../helpers/github-fake/harness.ts';

const GET_PULL = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';
const CREATE_REVIEW = 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews';

let fake: GithubFake;
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

async function fakeWithPull(): Promise<GithubFake> {
  fake = await startGithubFake();
  fake.addPull('o', 'r', syntheticPull(1, 2, 1));
  return fake;
}

const oneFinding = stagesWith((s) => [{ ruleId: 'test/x', severity: 'warning', message: 'x', patch: 1, file: s.patches[0]?.files[0]?.path ?? '', line: 1 }]);

it('waits out a primary rate limit (403, x-ratelimit-remaining 0) and retries', async () => {
  await fakeWithPull();
  fake.primaryRateLimit(GET_PULL, 2);
  const run = captureEnv(oneFinding);
  await runGithubReview({ repo: 'o/r', pr: '1', apiUrl: fake.url }, run.env);
  expect(fake.seen(GET_PULL).map((r) => r.status)).toEqual([403, 200]);
  expect(fake.state.reviews).toHaveLength(1);
  expect(run.stderr()).toMatch(/primary rate limit on GET .*retrying in \ds/);
});

it('honours retry-after of a secondary rate limit (429) on the review post', async () => {
  await fakeWithPull();
  fake.secondaryRateLimit(CREATE_REVIEW, 7);
  const run = captureEnv(oneFinding);
  await runGithubReview({ repo: 'o/r', pr: '1', apiUrl: fake.url }, run.env);
  expect(fake.seen(CREATE_REVIEW).map((r) => r.status)).toEqual([429, 200]);
  expect(fake.state.reviews).toHaveLength(1);
  expect(run.stderr()).toContain('secondary rate limit on POST');
  expect(run.stderr()).toContain('retrying in 7s');
});

it('honours retry-after of a secondary rate limit sent as 403', async () => {
  await fakeWithPull();
  fake.secondaryRateLimit(GET_PULL, 3, 403);
  const api = await testApi(fake.url);
  const pull = await api.getPull({ owner: 'o', repo: 'r', pull: 1 });
  expect(pull.commitCount).toBe(2);
  expect(fake.seen(GET_PULL).map((r) => r.status)).toEqual([403, 200]);
});

it('gives up when the limit persists past the retries, with one line naming the request', async () => {
  await fakeWithPull();
  fake.inject({
    operation: GET_PULL,
    times: 10,
    status: 429,
    headers: { 'retry-after': '1' },
    body: { message: 'You have exceeded a secondary rate limit.' },
  });
  const api = await testApi(fake.url, 2);
  await expect(api.getPull({ owner: 'o', repo: 'r', pull: 1 })).rejects.toThrow(/secondary rate limit/);
  expect(fake.seen(GET_PULL).length).toBeGreaterThanOrEqual(3);
  expect(fake.seen(GET_PULL).every((r) => r.status === 429)).toBe(true);
});

it('does not sleep through a reset further away than maxRetryWaitSeconds', async () => {
  await fakeWithPull();
  fake.primaryRateLimit(GET_PULL, 5000);
  const run = captureEnv(oneFinding);
  await expect(runGithubReview({ repo: 'o/r', pr: '1', apiUrl: fake.url }, run.env)).rejects.toThrow(/rate limit exceeded/);
  expect(fake.seen(GET_PULL)).toHaveLength(1);
  expect(run.stderr()).toContain('giving up');
});
