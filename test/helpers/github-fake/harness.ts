// Runs `deptbot github ...` against the fake: an environment with captured output, tiny retry
// waits and no write spacing, and review stages made of the real mail layer plus a chosen reviewer.
import { PassThrough } from 'node:stream';
import type { Finding } from '../../../rules/engine/types.ts';
import type { Review, Series } from '../../../bot/model.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { toPatch } from '../../../bot/mail/patch.ts';
import type { GithubStages } from '../../../bot/github/stages.ts';
import type { GithubEnv } from '../../../bot/github/run.ts';
import { createClient } from '../../../bot/github/client.ts';
import { GithubApi } from '../../../bot/github/api.ts';

export const TEST_TOKEN = 'test-token';

/** Stages with the real parser and a reviewer that reports the given findings for any series. */
export function stagesWith(findings: (series: Series) => Finding[]): GithubStages {
  return {
    parseMessage: (raw) => parseMessage(raw),
    toPatch,
    reviewSeries: async (series): Promise<Review> => ({ series, findings: findings(series), ruleErrors: [], notes: [], rulesetVersion: 'test' }),
  };
}

export interface Captured {
  env: GithubEnv;
  stdout: () => string;
  stderr: () => string;
}

export function captureEnv(stages: GithubStages, extra: Partial<GithubEnv> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  stderr.on('data', (c: Buffer) => err.push(c.toString('utf8')));
  return {
    env: {
      cwd: process.cwd(),
      env: { DEPTBOT_GITHUB_TOKEN: TEST_TOKEN },
      stdout,
      stderr,
      rules: [],
      stages: () => stages,
      tuning: { retryAfterBaseMs: 1, writeSpacingMs: 0 },
      ...extra,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** A GithubApi on the fake with test tuning. */
export async function testApi(apiUrl: string, maxRetries = 3): Promise<GithubApi> {
  const client = await createClient({
    apiUrl,
    auth: { kind: 'token', token: TEST_TOKEN },
    maxRetries,
    maxRetryWaitSeconds: 900,
    retryAfterBaseMs: 1,
    writeSpacingMs: 0,
  });
  return new GithubApi(client);
}
