// `--imap imap[s]://user@host:port/FOLDER`: the backlog since the stored UID, then new mail as IDLE
// reports it. Any disconnect -> reconnect with capped exponential backoff and resume from the
// stored UID. A new UIDVALIDITY means the UIDs changed meaning: read the folder again from the
// start; the store drops messages it already has by Message-ID, so nothing is reviewed twice.
// Processed mail gets a keyword when PERMANENTFLAGS allow it; mail is never moved or deleted.
import { ImapFlow } from 'imapflow';
import { InputError, UsageError, oneLine } from '../errors.ts';
import type { Logger } from '../watch/log.ts';
import { backoffMs, sleep } from '../watch/sleep.ts';
import type { SourceMemory, WatchedRaw, WatchSource } from '../watch/types.ts';

export interface ImapTarget {
  secure: boolean;
  host: string;
  port: number;
  user: string;
  folder: string;
}

export interface ImapSourceOptions {
  url: string;
  /** From DEPTBOT_IMAP_PASSWORD; never from the URL or a config file. */
  password: string;
  memory: SourceMemory;
  log: Logger;
  once?: boolean;
  /** Keyword set on processed mail; false = never flag. */
  keyword?: string | false;
  reconnect?: { initialMs: number; maxMs: number };
  /** Re-check the folder this often even without IDLE news (ms). */
  pollMs?: number;
  /** Messages fetched per FETCH command. */
  batch?: number;
  /** With once: connection attempts before giving up. */
  onceAttempts?: number;
}

/** Parses imap://user@host:port/FOLDER; a password in the URL is refused (it belongs in the environment). */
export function parseImapUrl(url: string): ImapTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--imap: "${url}" is not a URL (imap://user@host:port/FOLDER)`);
  }
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new UsageError(`--imap: ${u.protocol} is not imap: or imaps:`);
  if (u.password) throw new UsageError('--imap: put the password in DEPTBOT_IMAP_PASSWORD, not in the URL');
  if (!u.username) throw new UsageError('--imap: the URL needs a user (imap://user@host/FOLDER)');
  const secure = u.protocol === 'imaps:';
  const folder = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  return { secure, host: u.hostname, port: Number(u.port) || (secure ? 993 : 143), user: decodeURIComponent(u.username), folder };
}

interface Position {
  validity: string;
  last: number;
}

function parseCheckpoint(text: string | undefined): Position | undefined {
  const m = /^(\d+):(\d+)$/.exec(text ?? '');
  return m ? { validity: m[1] as string, last: Number(m[2]) } : undefined;
}

/** Thrown to leave the current connection and reconnect. */
class Disconnected extends Error {}

export class ImapSource implements WatchSource {
  readonly kind = 'imap' as const;
  readonly name: string;
  private readonly target: ImapTarget;

  constructor(private readonly opts: ImapSourceOptions) {
    this.target = parseImapUrl(opts.url);
    const t = this.target;
    this.name = `${t.secure ? 'imaps' : 'imap'}://${t.user}@${t.host}:${t.port}/${t.folder}`;
  }

  async *messages(signal?: AbortSignal): AsyncGenerator<WatchedRaw> {
    const { log } = this.opts;
    const reconnect = this.opts.reconnect ?? { initialMs: 1000, maxMs: 60_000 };
    let failures = 0;
    while (!signal?.aborted) {
      const client = this.client();
      let synced = false;
      try {
        for await (const m of this.session(client, signal, () => (synced = true))) yield m;
        return; // the session only ends without error on abort or, with once, after the backlog
      } catch (err) {
        if (signal?.aborted) return;
        failures = synced ? 1 : failures + 1;
        const message = oneLine(err);
        log.warn({ source: this.name, err: message, attempt: failures }, 'IMAP connection lost; reconnecting');
        this.opts.memory.recordError(this.name, message);
        if (this.opts.once && failures >= (this.opts.onceAttempts ?? 3)) {
          throw new InputError(this.name, `cannot read the folder (${message})`);
        }
      } finally {
        await closeQuietly(client);
      }
      await sleep(backoffMs(failures - 1, reconnect.initialMs, reconnect.maxMs), signal);
    }
  }

  private client(): ImapFlow {
    const t = this.target;
    const client = new ImapFlow({
      host: t.host,
      port: t.port,
      secure: t.secure,
      auth: { user: t.user, pass: this.opts.password },
      logger: false,
      // IDLE soon after the backlog so new mail is seen within a second.
      autoIdleDelay: 250,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
    });
    // Errors also surface as a failed command or 'close'; without a listener they would crash.
    client.on('error', (err: unknown) => this.opts.log.debug({ source: this.name, err: oneLine(err) }, 'IMAP error'));
    return client;
  }

  /** One connection: open the folder, read the backlog, then wait for news until it breaks. */
  private async *session(client: ImapFlow, signal: AbortSignal | undefined, onSynced: () => void): AsyncGenerator<WatchedRaw> {
    const { log, memory } = this.opts;
    let news = 0;
    let closed = false;
    const wakers = new Set<() => void>();
    const wakeAll = (): void => {
      for (const w of wakers) w();
    };
    client.on('exists', () => {
      news++;
      wakeAll();
    });
    client.on('close', () => {
      closed = true;
      wakeAll();
    });
    client.on('mailboxClose', () => {
      closed = true;
      wakeAll();
    });
    await client.connect();
    const mailbox = await client.mailboxOpen(this.target.folder);
    const validity = String(mailbox.uidValidity);
    let pos = parseCheckpoint(memory.checkpoint(this.name));
    if (pos && pos.validity !== validity) {
      log.warn({ source: this.name, old: pos.validity, new: validity }, 'UIDVALIDITY changed; reading the folder again');
      pos = undefined;
    }
    const at: Position = pos ?? { validity, last: 0 };
    const flags = mailbox.permanentFlags ?? new Set<string>();
    const keyword = this.opts.keyword && (flags.has('\\*') || flags.has(this.opts.keyword)) ? this.opts.keyword : undefined;
    log.info({ source: this.name, uidValidity: validity, lastUid: at.last, exists: mailbox.exists }, 'IMAP folder open');

    while (!signal?.aborted) {
      if (closed) throw new Disconnected('connection closed');
      news = 0;
      const found = await client.search({ uid: `${at.last + 1}:*` }, { uid: true });
      const uids = (found || []).filter((u) => u > at.last).sort((a, b) => a - b);
      const size = this.opts.batch ?? 50;
      for (let i = 0; i < uids.length; i += size) {
        const batch = uids.slice(i, i + size);
        const fetched = await client.fetchAll(batch.join(','), { uid: true, source: true }, { uid: true });
        fetched.sort((a, b) => a.uid - b.uid);
        const done: number[] = [];
        for (const m of fetched) {
          if (signal?.aborted) break;
          if (m.source) {
            yield { source: this.name, locator: `${validity}/${m.uid}`, data: m.source, checkpoint: `${validity}:${m.uid}` };
            done.push(m.uid);
          } else {
            memory.setCheckpoint(this.name, this.kind, `${validity}:${m.uid}`);
          }
          at.last = m.uid;
        }
        if (keyword && done.length > 0 && !closed) {
          await client.messageFlagsAdd(done.join(','), [keyword], { uid: true }).catch((err: unknown) => {
            log.debug({ source: this.name, err: oneLine(err) }, 'could not set keyword');
          });
        }
        if (signal?.aborted) return;
      }
      onSynced();
      if (this.opts.once) return;
      if (news === 0 && !closed) await this.waitForNews(wakers, signal);
    }
  }

  private waitForNews(wakers: Set<() => void>, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.opts.pollMs ?? 120_000);
      wakers.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

async function closeQuietly(client: ImapFlow): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  try {
    await Promise.race([client.logout(), sleep(2000)]);
  } catch {
    // already gone
  } finally {
    client.close();
  }
}
