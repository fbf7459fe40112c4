// `--maildir DIR`: a Maildir as `lei q -o DIR` / `lei up` write it. Files are read from new/ and
// cur/ (never tmp/, where writers are still busy) and left where they are. A file is known by its
// unique name without the ":2,flags" suffix, so a mail reader moving it to cur/ does not make it new.
// fs.watch wakes the scan early; the periodic rescan is what guarantees nothing is missed.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { Logger } from '../watch/log.ts';
import type { SourceMemory, WatchedRaw, WatchSource } from '../watch/types.ts';
import { Wake } from '../watch/wake.ts';

export interface MaildirWatchOptions {
  dir: string;
  memory: SourceMemory;
  log: Logger;
  once?: boolean;
  /** Full rescan interval in ms (default 30 s). */
  rescanMs?: number;
  /** Create new/, cur/ and tmp/ when missing (the embedded default ./inbox). */
  create?: boolean;
}

const SUBDIRS = ['new', 'cur'] as const;

/** The unique part of a Maildir file name: everything before the info suffix ":2,...". */
export function maildirKey(fileName: string): string {
  const colon = fileName.indexOf(':');
  return colon < 0 ? fileName : fileName.slice(0, colon);
}

export class MaildirWatchSource implements WatchSource {
  readonly kind = 'maildir' as const;
  readonly name: string;
  private readonly dir: string;
  private readonly known = new Set<string>();

  constructor(private readonly opts: MaildirWatchOptions) {
    this.dir = resolve(opts.dir);
    this.name = `maildir:${this.dir}`;
  }

  async *messages(signal?: AbortSignal): AsyncGenerator<WatchedRaw> {
    this.prepare();
    const wake = new Wake();
    const watchers: FSWatcher[] = [];
    if (!this.opts.once) {
      for (const sub of SUBDIRS) {
        try {
          const w = watch(join(this.dir, sub), () => wake.notify());
          w.on('error', () => wake.notify());
          watchers.push(w);
        } catch {
          // Watching is an optimisation; the rescan below still finds everything.
        }
      }
    }
    try {
      while (!signal?.aborted) {
        for (const file of this.scan()) {
          if (signal?.aborted) return;
          const key = maildirKey(file.name);
          if (this.known.has(key)) continue;
          this.known.add(key);
          if (this.opts.memory.deliveryKnown(this.name, key)) continue;
          let data: Buffer;
          try {
            data = readFileSync(file.path);
          } catch {
            // Moved between new/ and cur/ or deleted since the scan: the next scan sees it again.
            this.known.delete(key);
            continue;
          }
          yield { source: this.name, locator: key, data };
        }
        if (this.opts.once) return;
        await wake.wait(this.opts.rescanMs ?? 30_000, signal);
      }
    } finally {
      for (const w of watchers) w.close();
    }
  }

  private prepare(): void {
    if (this.opts.create) {
      for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(this.dir, sub), { recursive: true });
    }
    if (!existsSync(join(this.dir, 'new')) || !existsSync(join(this.dir, 'cur'))) {
      throw new InputError(this.dir, 'not a Maildir (no new/ and cur/ directories)');
    }
  }

  /** Files in new/ and cur/, oldest first (Maildir names start with the delivery time). */
  private scan(): Array<{ name: string; path: string; mtime: number }> {
    const out: Array<{ name: string; path: string; mtime: number }> = [];
    for (const sub of SUBDIRS) {
      let names: string[];
      try {
        names = readdirSync(join(this.dir, sub));
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const path = join(this.dir, sub, name);
        try {
          const st = statSync(path);
          if (st.isFile()) out.push({ name, path, mtime: st.mtimeMs });
        } catch {
          // vanished since readdir
        }
      }
    }
    return out.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
  }
}
