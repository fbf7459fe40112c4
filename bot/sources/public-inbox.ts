// `--public-inbox GITDIR`: one epoch of a public-inbox v2 mirror (e.g. a clone of
// https://lore.kernel.org/<list>/0). Every commit adds one message as the file `m` (a removal
// commit has `d` instead and is skipped). New messages are the commits after the stored one, read
// oldest first with `git rev-list --reverse` and `git cat-file --batch`. Before each poll a
// configurable fetch command runs in GITDIR (default: `git fetch --quiet` when a remote exists).
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { InputError, oneLine } from '../errors.ts';
import type { Logger } from '../watch/log.ts';
import type { SourceMemory, WatchedRaw, WatchSource } from '../watch/types.ts';
import { Wake } from '../watch/wake.ts';

const run = promisify(execFile);

export interface PublicInboxOptions {
  gitDir: string;
  memory: SourceMemory;
  log: Logger;
  once?: boolean;
  /** Poll interval in ms (default 5 min: lore is shared, be polite). */
  pollMs?: number;
  /** argv run in GITDIR before each poll; [] = never fetch; undefined = `git fetch` if a remote exists. */
  fetchCommand?: readonly string[];
  /** Commits read per `git cat-file --batch` call. */
  batch?: number;
}

export class PublicInboxSource implements WatchSource {
  readonly kind = 'public-inbox' as const;
  readonly name: string;
  private readonly gitDir: string;

  constructor(private readonly opts: PublicInboxOptions) {
    this.gitDir = resolve(opts.gitDir);
    this.name = `public-inbox:${this.gitDir}`;
  }

  async *messages(signal?: AbortSignal): AsyncGenerator<WatchedRaw> {
    await this.git(['rev-parse', '--git-dir']).catch((err: unknown) => {
      throw new InputError(this.gitDir, `not a git repository (${oneLine(err)})`);
    });
    const fetch = this.opts.fetchCommand ?? (await this.defaultFetch());
    const wake = new Wake();
    while (!signal?.aborted) {
      if (fetch.length > 0) await this.fetch(fetch, signal);
      for await (const m of this.newMessages(signal)) yield m;
      if (this.opts.once) return;
      await wake.wait(this.opts.pollMs ?? 300_000, signal);
    }
  }

  private async *newMessages(signal?: AbortSignal): AsyncGenerator<WatchedRaw> {
    const head = (await this.git(['rev-parse', '--verify', '-q', 'HEAD^{commit}']).catch(() => '')).trim();
    if (!head) return; // an empty mirror: nothing yet
    let last = this.opts.memory.checkpoint(this.name);
    if (last && !(await this.isAncestor(last, head))) {
      // History was rewritten (a re-cloned or purged mirror): read it all again; the store drops
      // messages already seen by Message-ID, so nothing is reviewed twice.
      this.opts.log.warn({ source: this.name, checkpoint: last }, 'stored commit is not in the history any more; rereading');
      last = undefined;
    }
    if (last === head) return;
    const list = await this.git(['rev-list', '--reverse', last ? `${last}..${head}` : head]);
    const commits = list.split('\n').filter(Boolean);
    const size = this.opts.batch ?? 200;
    for (let i = 0; i < commits.length; i += size) {
      const chunk = commits.slice(i, i + size);
      const blobs = await this.catFile(chunk.map((c) => `${c}:m`));
      for (let j = 0; j < chunk.length; j++) {
        if (signal?.aborted) return;
        const commit = chunk[j] as string;
        const data = blobs[j];
        if (data) yield { source: this.name, locator: commit, data, checkpoint: commit };
        else this.opts.memory.setCheckpoint(this.name, this.kind, commit);
      }
    }
  }

  private async defaultFetch(): Promise<readonly string[]> {
    const remotes = (await this.git(['remote']).catch(() => '')).trim();
    return remotes ? ['git', 'fetch', '--quiet'] : [];
  }

  private async fetch(argv: readonly string[], signal?: AbortSignal): Promise<void> {
    const [cmd, ...args] = argv;
    if (!cmd) return;
    try {
      // Aborted with the watch, so SIGTERM never waits for a slow fetch.
      await run(cmd, args, { cwd: this.gitDir, timeout: 600_000, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (signal?.aborted) return;
      // A failed fetch is not fatal: what is already mirrored is still read, the next poll retries.
      const message = `fetch failed: ${oneLine(err)}`;
      this.opts.log.warn({ source: this.name, err: message }, 'fetch failed');
      this.opts.memory.recordError(this.name, message);
    }
  }

  private async isAncestor(commit: string, head: string): Promise<boolean> {
    try {
      await run('git', ['merge-base', '--is-ancestor', commit, head], { cwd: this.gitDir });
      return true;
    } catch {
      return false;
    }
  }

  private async git(args: string[]): Promise<string> {
    const { stdout } = await run('git', args, { cwd: this.gitDir, maxBuffer: 512 * 1024 * 1024 });
    return stdout;
  }

  /** Contents of each object spec, or undefined where it is missing (a commit without `m`). */
  private catFile(specs: string[]): Promise<Array<Buffer | undefined>> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { cwd: this.gitDir, stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`git cat-file failed (${code}): ${stderr.trim()}`));
        try {
          resolvePromise(parseBatch(Buffer.concat(chunks), specs.length));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      child.stdin.end(`${specs.join('\n')}\n`);
    });
  }
}

/** Parses `git cat-file --batch` output: "<oid> <type> <size>\n<data>\n" or "<spec> missing\n". */
export function parseBatch(out: Buffer, count: number): Array<Buffer | undefined> {
  const result: Array<Buffer | undefined> = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) throw new Error('git cat-file: truncated output');
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^\S+ (\S+) (\d+)$/.exec(header);
    if (!m) {
      result.push(undefined); // "<spec> missing" or "ambiguous"
      continue;
    }
    const size = Number(m[2]);
    result.push(m[1] === 'blob' ? Buffer.from(out.subarray(pos, pos + size)) : undefined);
    pos += size + 1;
  }
  return result;
}
