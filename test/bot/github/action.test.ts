import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { actionRun } from '../../../bot/github/action.ts';
import { repoRoot } from '../../helpers/corpus.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deptbot-action-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('builds the review command for the pull request of the event', () => {
  const event = join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 42, pull_request: { number: 42 } }));
  const run = actionRun({
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'torvalds/linux',
    GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    INPUT_TOKEN: 'tkn',
    'INPUT_SARIF-FILE': 'out.sarif',
    'INPUT_FAIL-ON-FINDINGS': 'true',
  });
  expect(run.argv).toEqual(['github', 'review', '--repo', 'torvalds/linux', '--pr', '42', '--sarif', 'out.sarif', '--api-url', 'https://ghe.example.com/api/v3']);
  expect(run.env.DEPTBOT_GITHUB_TOKEN).toBe('tkn');
  expect(run.failOnFindings).toBe(true);
});

it('refuses an event that is not about a pull request', () => {
  const event = join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main' }));
  expect(() => actionRun({ GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'o/r' })).toThrow(/not a pull_request event/);
});

it('action.yml runs on node20 with the entry that exists and declares the inputs it reads', () => {
  const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { runs: { using: string; main: string }; inputs: Record<string, unknown> };
  expect(action.runs.using).toBe('node20');
  expect(() => readFileSync(join(repoRoot, action.runs.main))).not.toThrow();
  expect(Object.keys(action.inputs).sort()).toEqual(['config', 'dry-run', 'fail-on-findings', 'sarif-file', 'token']);
});
