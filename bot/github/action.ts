// The GitHub Action: turns the runner's environment (GITHUB_EVENT_PATH, GITHUB_REPOSITORY,
// GITHUB_API_URL, INPUT_*) into a `deptbot github review` command line for the current PR.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';

export interface ActionRun {
  argv: string[];
  env: NodeJS.ProcessEnv;
  sarifFile: string;
  failOnFindings: boolean;
}

function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.toUpperCase().replace(/ /g, '_')}`] ?? '').trim();
}

export function actionRun(env: NodeJS.ProcessEnv): ActionRun {
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!eventPath) throw new InputError('GITHUB_EVENT_PATH', 'not set: run this inside a GitHub Actions job');
  const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { number?: number }; number?: number };
  const pr = event.pull_request?.number ?? event.number;
  if (!pr) throw new InputError(eventPath, 'not a pull_request event (no pull request number)');
  const repo = env.GITHUB_REPOSITORY;
  if (!repo) throw new InputError('GITHUB_REPOSITORY', 'not set');
  const sarifFile = input(env, 'sarif-file') || 'deptbot.sarif';
  const argv = ['github', 'review', '--repo', repo, '--pr', String(pr), '--sarif', sarifFile];
  if (env.GITHUB_API_URL) argv.push('--api-url', env.GITHUB_API_URL);
  if (input(env, 'config')) argv.push('--config', input(env, 'config'));
  if (input(env, 'dry-run') === 'true') argv.push('--dry-run');
  const token = input(env, 'token');
  return {
    argv,
    env: token ? { ...env, DEPTBOT_GITHUB_TOKEN: token } : env,
    sarifFile,
    failOnFindings: input(env, 'fail-on-findings') === 'true',
  };
}
