import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runGithubWatch } from '../../../bot/github/run.ts';
import { openDb } from '../../../bot/store/db.ts';
import { GithubState } from '../../../bot/store/github-state.ts';
import { startGithubFake, type GithubFake } from '../../helpers/github-fake/server.ts';
import { syntheticPull } from '../../helpers/github-fake/synthetic-pull.ts';
import { captureEnv, stagesWith } from '../../helpers/github-fake/harness.ts';

const LIST = 'GET /repos/{owner}/{repo}/pulls';
const CREATE_REVIEW = 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews';

let fake: GithubFake;
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deptbot-gh-watch-'));
  fake = await startGithubFake();
  fake.addPull('o', 'r', syntheticPull(1, 2, 1));
  fake.addPull('o', 'r', { ...syntheticPull(2, 3, 2), updatedAt: '2026-01-03T00:00:00Z' });
});
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const finding = stagesWith((s) => [{ ruleId: 'test/x', severity: 'warning', message: 'x', patch: 1, file: s.patches[0]?.files[0]?.path ?? '', line: 1 }]);

async function poll(): Promise<string> {
  const run = captureEnv(finding);
  await runGithubWatch({ repo: 'o/r', apiUrl: fake.url, once: true, state: join(dir, 'state.sqlite') }, run.env);
  return run.stdout();
}

it('reviews each open PR head once and answers an unchanged listing from its ETag', async () => {
  const first = await poll();
  expect(first.match(/posted review/g)).toHaveLength(2);
  expect(fake.seen(CREATE_REVIEW)).toHaveLength(2);

  await poll();
  expect(fake.seen(LIST).map((r) => r.status)).toEqual([200, 304]);
  expect(fake.seen(LIST)[1]?.headers['if-none-match']).toMatch(/^"[0-9a-f]+"$/);
  expect(fake.seen(CREATE_REVIEW)).toHaveLength(2);

  // A push to PR 1: a new head, the listing changes, only that head is reviewed.
  const pull = fake.pull('o', 'r', 1);
  const pushed = syntheticPull(1, 3, 1);
  pull.commits = pushed.commits;
  pull.head.sha = pushed.head.sha;
  pull.updatedAt = '2026-01-04T00:00:00Z';
  const third = await poll();
  expect(third).toContain(`o/r#1@${pushed.head.sha.slice(0, 12)}`);
  expect(fake.seen(CREATE_REVIEW)).toHaveLength(3);
  expect(fake.seen(LIST).map((r) => r.status)).toEqual([200, 304, 200]);

  const db = openDb(join(dir, 'state.sqlite'));
  const heads = new GithubState(db).reviewedHeads('o/r');
  db.close();
  expect(heads.map((h) => [h.pull, h.headSha, h.outcome])).toEqual([
    [1, syntheticPull(1, 2, 1).head.sha, 'created'],
    [1, pushed.head.sha, 'created'],
    [2, syntheticPull(2, 3, 2).head.sha, 'created'],
  ]);
});

it('keeps the old ETag when a review failed, so the next poll retries it', async () => {
  fake.inject({ operation: CREATE_REVIEW, status: 500, body: { message: 'Server Error' }, times: 10 });
  const run = captureEnv(finding);
  await runGithubWatch({ repo: 'o/r', apiUrl: fake.url, once: true, state: join(dir, 'state.sqlite') }, run.env);
  expect(run.stderr()).toMatch(/o\/r#\d: Server Error/);
  fake.clearFaults();
  await poll();
  expect(fake.seen(LIST).map((r) => r.status)).toEqual([200, 200]);
  expect(fake.state.reviews.filter((r) => r.body.includes('deptbot:review'))).toHaveLength(2);
});
