// Pieces of the watcher chaos test: a seeded random source, an SMTP sink that refuses a seeded
// share of transactions with 4xx, counts accepted mails by Message-ID and hands each one on as a
// list would (see listEcho), and a way to cut the IMAP sessions of one Dovecot instance (its
// master's imap children) without stopping it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { Dovecot } from '../helpers/dovecot.ts';

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FlakySmtp {
  url: string;
  /** Message-ID -> times the server accepted it. */
  accepted: Map<string, number>;
  refused: number;
  close(): Promise<void>;
}

export interface ListEcho {
  /** Queues an accepted mail for delivery back into the folder. */
  deliver(raw: Buffer): void;
  /** Mails delivered back, and APPEND attempts that failed and were retried. */
  readonly delivered: number;
  readonly retries: number;
  /** Resolves once the queue is empty. */
  drain(): Promise<void>;
}

/**
 * A mailing list's delivery of accepted mail back to its subscribers, here the watched Dovecot
 * folder: queued and retried until the APPEND succeeds, as an MTA retries (Dovecot restarts and
 * cut sessions only delay it). A retried APPEND may land twice, as list mail sometimes does.
 */
export function listEcho(append: (raw: Buffer) => Promise<unknown>, retryMs = 200): ListEcho {
  const queue: Buffer[] = [];
  const counts = { delivered: 0, retries: 0 };
  let running: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    while (queue.length > 0) {
      try {
        await append(queue[0] as Buffer);
        queue.shift();
        counts.delivered++;
      } catch {
        counts.retries++;
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
    running = undefined;
  };
  return {
    deliver(raw) {
      queue.push(raw);
      running ??= run();
    },
    get delivered() {
      return counts.delivered;
    },
    get retries() {
      return counts.retries;
    },
    drain: async () => {
      while (running) await running;
    },
  };
}

/** `onAccepted` sees each accepted mail after the server said 250 (the list's delivery). */
export async function startFlakySmtp(failShare: number, random: () => number, onAccepted?: (raw: Buffer) => void): Promise<FlakySmtp> {
  const accepted = new Map<string, number>();
  const state = { refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (random() < failShare) {
          state.refused++;
          const err = new Error('try again later') as Error & { responseCode: number };
          err.responseCode = [421, 450, 451, 452][Math.floor(random() * 4)] ?? 451;
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks);
        const id = /^Message-ID:\s*<([^>]+)>/im.exec(raw.toString('latin1'))?.[1] ?? '(none)';
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
        callback();
        onAccepted?.(raw);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    get refused() {
      return state.refused;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function parentOf(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Kills this Dovecot's imap session processes (a network cut as the client sees it); returns how many. */
export function cutImapSessions(d: Dovecot): number {
  let master: number;
  try {
    master = Number(readFileSync(join(d.dir, 'run', 'master.pid'), 'utf8').trim());
  } catch {
    return 0;
  }
  let killed = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (parentOf(name) !== master) continue;
      // "dovecot/imap [user ip state]"; imap-login and the other services stay.
      if (!/^dovecot\/imap(?![-\w])/.test(readFileSync(`/proc/${name}/cmdline`, 'utf8'))) continue;
      process.kill(Number(name), 'SIGKILL');
      killed++;
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}
