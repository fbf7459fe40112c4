import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../rules/engine/types.ts';
import type { Series } from '../../../bot/model.ts';
import { runGithubReview } from '../../../bot/github/run.ts';
import { readMarkers } from '../../../bot/reporters/format-github-review.ts';
import { startGithubFake, type GithubFake } from '../../helpers/github-fake/server.ts';
import { seriesToPull, type SeriesPull } from '../../helpers/github-fake/series-to-pull.ts';
import { captureEnv, stagesWith } from '../../helpers/github-fake/harness.ts';
import { corpusPath } from '../../helpers/corpus.ts';

const CREATE_REVIEW = 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews';
const CREATE_COMMENT = 'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments';

/** One finding at the first added line of each patch, plus one on the commit message of patch 1. */
function firstAddedLines(series: Series): Finding[] {
  const findings: Finding[] = series.patches.flatMap((p) => {
    for (const f of p.files) {
      for (const h of f.hunks) {
        const added = h.lines.find((l) => l.type === 'add' && l.newLine !== undefined);
        if (added) return [{ ruleId: 'test/added-line', severity: 'warning' as const, message: `added line of patch ${p.index}`, patch: p.index, file: f.path, line: added.newLine }];
      }
    }
    return [];
  });
  findings.push({ ruleId: 'test/commit-message', severity: 'info', message: 'about the commit message', patch: 1 });
  return findings;
}

let series: SeriesPull;
let fake: GithubFake;

beforeAll(() => {
  series = seriesToPull(corpusPath('series/cma-dmem-v2.mbox'), 11);
});
afterAll(() => series.cleanup());
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

async function freshFake(): Promise<GithubFake> {
  fake = await startGithubFake();
  fake.addPull('kernel', 'linux', structuredClone(series.pull));
  return fake;
}

describe('deptbot github review', () => {
  it('posts one review with inline comments at head lines and the rest in the body', async () => {
    await freshFake();
    const run = captureEnv(stagesWith(firstAddedLines));
    const code = await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, run.env);
    // Warnings and info only: below review.failOn (error), so the exit code is 0.
    expect(code).toBe(0);
    expect(fake.seen(CREATE_REVIEW)).toHaveLength(1);
    const [review] = fake.state.reviews;
    expect(review?.commit_id).toBe(series.pull.head.sha);
    expect(readMarkers(review?.body ?? '')).toMatchObject({ ours: true, head: series.pull.head.sha });
    expect(review?.body).toContain('about the commit message');
    const inline = fake.state.comments.filter((c) => c.subject_type === 'line');
    expect(inline.length).toBeGreaterThan(0);
    for (const c of inline) {
      expect(c.commit_id).toBe(series.pull.head.sha);
      expect(c.side).toBe('RIGHT');
      expect(c.body).toMatch(/^\*\*Warning\*\* `test\/added-line`/);
    }
    expect(run.stdout()).toMatch(/posted review \d+/);
  });

  it('a second run on the same head posts nothing new', async () => {
    await freshFake();
    const stages = stagesWith(firstAddedLines);
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, captureEnv(stages).env);
    const reviews = fake.state.reviews.length;
    const comments = fake.state.comments.length;
    const writesBefore = fake.requests.filter((r) => r.method !== 'GET').length;
    const second = captureEnv(stages);
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, second.env);
    expect(fake.state.reviews).toHaveLength(reviews);
    expect(fake.state.comments).toHaveLength(comments);
    expect(fake.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect(second.stdout()).toContain('nothing posted');
  });

  it('updates its review on the same head when the findings changed, adding only new comments', async () => {
    await freshFake();
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, captureEnv(stagesWith((s) => firstAddedLines(s).slice(0, 1))).env);
    const first = fake.state.comments.length;
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, captureEnv(stagesWith(firstAddedLines)).env);
    const ours = fake.state.reviews.filter((r) => readMarkers(r.body).ours);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain('about the commit message');
    expect(fake.state.comments.length).toBeGreaterThan(first);
    const keys = fake.state.comments.map((c) => `${c.path}:${c.line}:${c.body}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a new head gets a new review and the old one is collapsed', async () => {
    await freshFake();
    const stages = stagesWith(firstAddedLines);
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, captureEnv(stages).env);
    // Force-push: the same series minus its last commit.
    const pull = fake.pull('kernel', 'linux', 11);
    pull.commits = pull.commits.slice(0, -1);
    pull.head.sha = pull.commits[pull.commits.length - 1]?.sha ?? '';
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, captureEnv(stages).env);
    const ours = fake.state.reviews.map((r) => readMarkers(r.body)).filter((m) => m.ours);
    expect(ours.filter((m) => !m.superseded).map((m) => m.head)).toEqual([pull.head.sha]);
    expect(ours.filter((m) => m.superseded)).toHaveLength(1);
  });

  it('falls back to a file-level comment when GitHub answers 422 for a line outside the diff', async () => {
    await freshFake();
    const pull = fake.pull('kernel', 'linux', 11);
    const file = pull.files[0];
    if (!file) throw new Error('no file');
    // GitHub leaves the patch out of large files: the bot cannot pre-check and must handle the 422.
    file.hidePatch = true;
    const outside: Finding = { ruleId: 'test/outside', severity: 'error', message: 'outside the diff', patch: pull.commits.length, file: file.filename, line: 1 };
    const run = captureEnv(stagesWith((s) => [...firstAddedLines(s), outside]));
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url }, run.env);
    const creates = fake.seen(CREATE_REVIEW);
    expect(creates.map((r) => r.status)).toEqual([422, 200]);
    const fileLevel = fake.state.comments.filter((c) => c.subject_type === 'file');
    expect(fileLevel.map((c) => [c.path, c.body.includes('outside the diff')])).toEqual([[file.filename, true]]);
    expect(fake.seen(CREATE_COMMENT).some((r) => r.status === 422)).toBe(true);
    expect(fake.state.comments.filter((c) => c.subject_type === 'line').length).toBeGreaterThan(0);
  });

  it('--dry-run prints the review and posts nothing', async () => {
    await freshFake();
    const run = captureEnv(stagesWith(firstAddedLines));
    await runGithubReview({ repo: 'kernel/linux', pr: '11', apiUrl: fake.url, dryRun: true }, run.env);
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(run.stdout()).toContain('## Review body');
    expect(run.stdout()).toContain('<!-- deptbot:review -->');
  });
});
