// The fake must catch requests GitHub would reject: these check the checker.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startGithubFake, type GithubFake } from '../../helpers/github-fake/server.ts';
import { syntheticPull } from '../../helpers/github-fake/synthetic-pull.ts';
import { TEST_TOKEN } from '../../helpers/github-fake/harness.ts';

let fake: GithubFake;
beforeEach(async () => {
  fake = await startGithubFake();
  fake.addPull('o', 'r', syntheticPull(1, 2, 1));
});
afterEach(() => fake.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `token ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

it('rejects a review body that does not match the OpenAPI description (422) and records it', async () => {
  const res = await call('POST', '/repos/o/r/pulls/1/reviews', { commitId: 'abc', event: 'COMMENT', comments: [{ path: 'x', line: '3', body: 'b' }] });
  expect(res.status).toBe(422);
  expect(fake.violations.join('\n')).toContain('must NOT have additional properties (commitId)');
  expect(fake.violations.join('\n')).toContain('body/comments/0/line must be integer');
  expect(fake.state.reviews).toHaveLength(0);
});

it('rejects an unknown path and a bad parameter (400)', async () => {
  expect((await call('GET', '/repos/o/r/pulls/1/reviewers')).status).toBe(400);
  expect((await call('GET', '/repos/o/r/pulls/1/commits?per_page=100&cursor=x')).status).toBe(400);
  expect((await call('GET', '/repos/o/r/pulls/one')).status).toBe(400);
  expect(fake.violations).toHaveLength(3);
  expect(fake.violations[0]).toContain('no such operation');
  expect(fake.violations[1]).toContain('additional properties (cursor)');
  expect(fake.violations[2]).toContain('pull_number must be integer');
});

it('accepts a valid request, needs a known token, and answers If-None-Match with 304', async () => {
  const ok = await call('GET', '/repos/o/r/pulls?state=open&sort=updated&direction=desc&per_page=100');
  expect(ok.status).toBe(200);
  const etag = ok.headers.get('etag') ?? '';
  expect((await call('GET', '/repos/o/r/pulls?state=open&sort=updated&direction=desc&per_page=100', undefined, { 'if-none-match': etag })).status).toBe(304);
  expect((await call('GET', '/repos/o/r/pulls/1', undefined, { authorization: 'token nope' })).status).toBe(401);
  expect(fake.violations).toEqual([]);
});

it('refuses a comment on a line outside the PR diff like GitHub (422)', async () => {
  const pull = fake.pull('o', 'r', 1);
  const path = pull.files[0]?.filename ?? '';
  const res = await call('POST', '/repos/o/r/pulls/1/reviews', { commit_id: pull.head.sha, event: 'COMMENT', body: 'b', comments: [{ path, line: 99, side: 'RIGHT', body: 'x' }] });
  expect(res.status).toBe(422);
  expect(((await res.json()) as { errors: string[] }).errors).toEqual(['Pull request review thread line must be part of the diff']);
  expect(fake.violations).toEqual([]);
});

it('serves a commit as a patch for the patch media type', async () => {
  const sha = fake.pull('o', 'r', 1).commits[0]?.sha ?? '';
  const res = await call('GET', `/repos/o/r/commits/${sha}`, undefined, { accept: 'application/vnd.github.patch' });
  expect(await res.text()).toMatch(/^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\nFrom: /);
});
