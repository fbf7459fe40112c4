// Secrets: a config file naming a secret that others can read is refused; and with a known token
// in DEPTBOT_IMAP_PASSWORD, GITHUB_TOKEN and DEPTBOT_SMTP_PASSWORD, the review, watch and github
// commands (child processes) never write it anywhere: stdout, stderr (logs), outbox, state db.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseExposedSecrets, secretKeyPaths } from '../../bot/security/secrets.ts';
import { loadConfig } from '../../config/load.ts';
import { corpusPath, repoRoot } from '../helpers/corpus.ts';
import { dovecotAvailable, startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startGithubFake, type GithubFake } from '../helpers/github-fake/server.ts';
import { seriesToPull, type SeriesPull } from '../helpers/github-fake/series-to-pull.ts';
import { patchMail } from './patch-mail.ts';

const TOKEN = 'tok-Zq81-known-secret-value';

describe('config files holding secrets', () => {
  it('finds secret keys at any depth, but not file names', () => {
    expect(secretKeyPaths({ mail: { smtp: { password: 'x', url: 'u' } }, github: { token: 't', app: { privateKeyFile: '/k' } }, a: [{ apiKey: 'k' }] })).toEqual(['mail.smtp.password', 'github.token', 'a.0.apiKey']);
    expect(secretKeyPaths({ mail: { smtp: { password: '' } } })).toEqual([]);
  });

  it.each([0o644, 0o640, 0o604])('a secret in a file of mode %o is refused with one line', async (mode) => {
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-secret-'));
    const file = join(dir, 'deptbot.config.yaml');
    writeFileSync(file, `mail:\n  smtp:\n    password: ${TOKEN}\n`);
    chmodSync(file, mode);
    const err = await loadConfig({ cwd: dir, ruleIds: [] }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      `deptbot.config.yaml: mail.smtp.password: a secret in a file others can read (mode ${mode.toString(8)}); remove it and use the environment (see SECURITY.md), or chmod 600 the file`,
    );
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('a secret in an owner-only file passes this check (the schema then names the key)', async () => {
    expect(() => refuseExposedSecrets('c.yaml', 'github:\n  token: x\n', 0o600)).not.toThrow();
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-secret-'));
    writeFileSync(join(dir, 'deptbot.config.yaml'), `github:\n  token: ${TOKEN}\n`, { mode: 0o600 });
    await expect(loadConfig({ cwd: dir, ruleIds: [] })).rejects.toThrow(/^deptbot\.config\.yaml: github\.token: unknown key$/);
  });

  it('a readable config without secrets is fine', () => {
    expect(() => refuseExposedSecrets('c.yaml', 'watch:\n  outbox: ./o\nmail:\n  from: a <a@b.c>\n', 0o644)).not.toThrow();
  });
});

interface Run {
  code: number | null;
  out: string;
}

function deptbot(args: string[], cwd: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/deptbot.js'), ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Every byte of every file under dir (state db, WAL, outbox, .eml), as latin1 text. */
function filesText(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = join(dir, name);
    if (statSync(p).isFile()) text += readFileSync(p).toString('latin1');
  }
  return text;
}

/** An SMTP server that takes any login and then refuses mail, echoing the credentials it got. */
async function hostileSmtp(): Promise<{ port: number; logins: string[]; close(): Promise<void> }> {
  const logins: string[] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push(`${auth.username}:${auth.password ?? ''}`);
      cb(null, { user: auth.username });
    },
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => {
        const err = new Error(`mailbox busy for ${logins.at(-1) ?? ''}, try later`) as Error & { responseCode: number };
        err.responseCode = 451;
        cb(err);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, logins, close: () => new Promise((r) => server.close(() => r())) };
}

describe('a known token never reaches any output', () => {
  const env = { DEPTBOT_IMAP_PASSWORD: TOKEN, GITHUB_TOKEN: TOKEN, DEPTBOT_GITHUB_TOKEN: TOKEN, DEPTBOT_SMTP_USER: 'bot', DEPTBOT_SMTP_PASSWORD: TOKEN };
  let dovecot: Dovecot | undefined;
  let github: GithubFake;
  let pull: SeriesPull;
  beforeAll(async () => {
    if (dovecotAvailable()) dovecot = await startDovecot();
    github = await startGithubFake({ tokens: ['some-other-token'] });
    pull = seriesToPull(corpusPath('series/cma-dmem-v2.mbox'), 11);
    github.addPull('kernel', 'linux', structuredClone(pull.pull));
  });
  afterAll(async () => {
    await dovecot?.destroy();
    await github?.close();
    pull?.cleanup();
  });

  it('review', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-tok-review-'));
    writeFileSync(join(dir, 'a.patch'), patchMail({ id: 'tok', line: () => `char *p = "${TOKEN.slice(0, 3)}";` }));
    const run = await deptbot(['review', 'a.patch', '--format', 'json', '--debug'], dir, env);
    expect(run.code).toBe(0);
    expect(run.out + filesText(dir)).not.toContain(TOKEN);
  });

  it('watch: IMAP login refused, SMTP server echoing the credentials in its errors', async () => {
    const smtp = await hostileSmtp();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'deptbot-tok-watch-'));
      const maildir = join(dir, 'mail');
      for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
      writeFileSync(join(maildir, 'new', '1.eml'), patchMail({ id: 'w1', line: () => '\u202eevil();' }).replace('From: Dev <dev@example.org>', 'From: Dev <dev@example.org>\nTo: list@example.org'));
      writeFileSync(join(dir, 'deptbot.config.yaml'), "mail:\n  from: 'bot <bot@example.org>'\n  smtp:\n    starttls: off\n    timeout: 5s\n  allow:\n    domains: [example.org]\n", { mode: 0o600 });
      const imap = dovecot ? ['--imap', dovecot.url()] : [];
      const run = await deptbot(
        ['watch', '--once', '--maildir', maildir, ...imap, '--state', join(dir, 'state.sqlite'), '--outbox', join(dir, 'outbox'), '--send', '--smtp', `smtp://127.0.0.1:${smtp.port}`, '--log-level', 'trace', '--debug'],
        dir,
        env,
      );
      // The server did get the password (that is where it belongs) and threw it back at us.
      expect(smtp.logins).toContain(`bot:${TOKEN}`);
      expect(run.out).toMatch(/sending a reply failed/);
      if (dovecot) expect(run.out).toMatch(/source failed|authentication|AUTHENTICATIONFAILED|Invalid credentials/i);
      expect(run.out).not.toContain(TOKEN);
      expect(filesText(dir)).not.toContain(TOKEN);
    } finally {
      await smtp.close();
    }
  });

  it('github review: the API refuses the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-tok-github-'));
    const run = await deptbot(['github', 'review', '--repo', 'kernel/linux', '--pr', '11', '--api-url', github.url, '--debug'], dir, env);
    expect(run.code).not.toBe(0);
    expect(run.out).not.toContain(TOKEN);
    expect(filesText(dir)).not.toContain(TOKEN);
    // It was sent, to the API only.
    expect(github.requests.length).toBeGreaterThan(0);
  });
});
