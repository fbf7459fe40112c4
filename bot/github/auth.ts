// Credentials come from the environment (a token) or from a GitHub App configuration whose
// private key file must be readable by its owner only; nothing secret lives in the config file.
import { readFileSync, statSync } from 'node:fs';
import { InputError, UsageError } from '../errors.ts';

export type GithubAuth =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: number; installationId: number; privateKey: string }
  /** Anonymous: enough for --dry-run on public repositories. */
  | { kind: 'none' };

export interface AppSettings {
  appId?: number;
  installationId?: number;
  privateKeyFile?: string;
}

export const TOKEN_VARIABLES = ['DEPTBOT_GITHUB_TOKEN', 'GITHUB_TOKEN'] as const;

export function readPrivateKey(file: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw new InputError(file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read');
  }
  if ((mode & 0o077) !== 0) {
    throw new InputError(file, `private key is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600`);
  }
  const key = readFileSync(file, 'utf8');
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) throw new InputError(file, 'not a PEM private key');
  return key;
}

/** Picks the credentials: a configured GitHub App first, else a token from the environment. */
export function resolveAuth(env: NodeJS.ProcessEnv, app: AppSettings, allowAnonymous: boolean): GithubAuth {
  const appId = app.appId ?? numberFrom(env.DEPTBOT_GITHUB_APP_ID, 'DEPTBOT_GITHUB_APP_ID');
  const installationId = app.installationId ?? numberFrom(env.DEPTBOT_GITHUB_INSTALLATION_ID, 'DEPTBOT_GITHUB_INSTALLATION_ID');
  const keyFile = app.privateKeyFile ?? env.DEPTBOT_GITHUB_APP_KEY_FILE;
  const appParts = [appId, installationId, keyFile].filter((x) => x !== undefined).length;
  if (appParts === 3) {
    return { kind: 'app', appId: appId as number, installationId: installationId as number, privateKey: readPrivateKey(keyFile as string) };
  }
  if (appParts > 0) {
    throw new UsageError('github: a GitHub App needs github.app.appId, installationId and privateKeyFile (or DEPTBOT_GITHUB_APP_ID, DEPTBOT_GITHUB_INSTALLATION_ID, DEPTBOT_GITHUB_APP_KEY_FILE)');
  }
  for (const name of TOKEN_VARIABLES) {
    const token = env[name]?.trim();
    if (token) return { kind: 'token', token };
  }
  if (allowAnonymous) return { kind: 'none' };
  throw new UsageError(`github: no credentials: set ${TOKEN_VARIABLES.join(' or ')}, or configure a GitHub App (github.app)`);
}

function numberFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(name, `not a positive integer: ${value}`);
  return n;
}
