import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { resolveAuth } from '../../../bot/github/auth.ts';
import { GithubApi } from '../../../bot/github/api.ts';
import { createClient } from '../../../bot/github/client.ts';
import { runGithubReview } from '../../../bot/github/run.ts';
import { InputError, UsageError } from '../../../bot/errors.ts';
import { startGithubFake, type GithubFake } from '../../helpers/github-fake/server.ts';
import { syntheticPull } from '../../helpers/github-fake/synthetic-pull.ts';
import { captureEnv, stagesWith } from '../../helpers/github-fake/harness.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
let dir: string;
let fake: GithubFake;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deptbot-gh-auth-'));
  fake = await startGithubFake({ tokens: [], app: { id: 4242, publicKey, installationId: 77 } });
  fake.addPull('o', 'r', syntheticPull(1, 1, 1));
});
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function keyFile(mode: number): string {
  const file = join(dir, 'app.pem');
  writeFileSync(file, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  chmodSync(file, mode);
  return file;
}

it('authenticates as a GitHub App installation: signed JWT, then an installation token', async () => {
  const auth = resolveAuth({}, { appId: 4242, installationId: 77, privateKeyFile: keyFile(0o600) }, false);
  const api = new GithubApi(await createClient({ apiUrl: fake.url, auth, maxRetries: 0, maxRetryWaitSeconds: 0, writeSpacingMs: 0 }));
  expect((await api.getPull({ owner: 'o', repo: 'r', pull: 1 })).commitCount).toBe(1);
  expect(fake.seen('POST /app/installations/{installation_id}/access_tokens').map((r) => r.status)).toEqual([201]);
  expect(fake.seen('GET /repos/{owner}/{repo}/pulls/{pull_number}')[0]?.headers.authorization).toMatch(/^token ghs_/);
});

it('refuses a private key file that others can read', () => {
  expect(() => resolveAuth({}, { appId: 4242, installationId: 77, privateKeyFile: keyFile(0o644) }, false)).toThrow(InputError);
  expect(() => resolveAuth({}, { appId: 4242, installationId: 77, privateKeyFile: keyFile(0o644) }, false)).toThrow(/chmod 600/);
});

it('takes the token from DEPTBOT_GITHUB_TOKEN before GITHUB_TOKEN, and needs one unless dry-run', () => {
  expect(resolveAuth({ GITHUB_TOKEN: 'b', DEPTBOT_GITHUB_TOKEN: 'a' }, {}, false)).toEqual({ kind: 'token', token: 'a' });
  expect(resolveAuth({ GITHUB_TOKEN: 'b' }, {}, false)).toEqual({ kind: 'token', token: 'b' });
  expect(() => resolveAuth({}, {}, false)).toThrow(UsageError);
  expect(resolveAuth({}, {}, true)).toEqual({ kind: 'none' });
  expect(() => resolveAuth({}, { appId: 1 }, false)).toThrow(/needs github.app.appId, installationId and privateKeyFile/);
});

it('a wrong token is a one-line error from the command', async () => {
  const run = captureEnv(stagesWith(() => []), { env: { GITHUB_TOKEN: 'wrong' } });
  await expect(runGithubReview({ repo: 'o/r', pr: '1', apiUrl: fake.url }, run.env)).rejects.toThrow(/Bad credentials/);
});
