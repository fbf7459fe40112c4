// A throwaway Dovecot per test file: 127.0.0.1 on a spare port, a passwd-file user and a Maildir
// under a temporary directory (see ../shared/toolchain.md). It can be stopped and started again on
// the same port and mail directory, to test reconnects.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
const NOBODY = 65534;

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The temporary directory holding config, runtime files and mail. */
  dir: string;
  /** imap://user@127.0.0.1:port/FOLDER */
  url(folder?: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

export function dovecotAvailable(): boolean {
  return existsSync(DOVECOT_BIN) && existsSync('/usr/lib/dovecot/imap');
}

export async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns true; throws after `timeoutMs` naming `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('data', (d) => done(d.toString().startsWith('* OK')));
    sock.once('error', () => done(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose parent is `pid` (this instance's services and imap sessions), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-dovecot-'));
  // Dovecot's imap processes run as nobody and must reach the mail directory.
  chmodSync(dir, 0o755);
  const user = opts.user ?? 'bot';
  const password = opts.password ?? 'secret-test-password';
  const port = await sparePort();
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, sub), { recursive: true });
  chownSync(join(dir, 'mail'), NOBODY, NOBODY);
  chownSync(join(dir, 'home'), NOBODY, NOBODY);
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
  default_fields = uid=${NOBODY} gid=${NOBODY} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`,
  );
  const pidFile = join(dir, 'run', 'master.pid');
  const start = async (): Promise<void> => {
    execFileSync(DOVECOT_BIN, ['-c', conf], { stdio: 'ignore' });
    await waitFor(`Dovecot on port ${port}`, () => greets(port), 20_000);
  };
  const stop = async (): Promise<void> => {
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (!pid || !alive(pid)) return;
    const children = childrenOf(pid);
    process.kill(pid, 'SIGTERM');
    await waitFor('Dovecot to stop', () => !alive(pid), 20_000);
    // The master leaves running imap sessions behind; a real outage ends them too.
    for (const child of children) {
      try {
        process.kill(child, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitFor('Dovecot sessions to end', () => children.every((c) => !alive(c)), 10_000);
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    url: (folder = 'INBOX') => `imap://${user}@127.0.0.1:${port}/${folder}`,
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
