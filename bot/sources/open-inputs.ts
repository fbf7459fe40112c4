// Command-line inputs -> Sources: .patch/.diff/.eml files, directories of them, mbox (mboxo and
// mboxrd, also gzip-compressed), Maildir (cur/ and new/) and "-" for stdin. Everything streams;
// only the current message is held. Paths come from the user only, never from message content.
import { createReadStream, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import type { RawMessage } from '../model.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../mail/parse-message.ts';
import { messagesFromStream } from './byte-stream.ts';
import { describeFsError, readFileChecked, sortedNames } from './files.ts';
import type { Source } from './types.ts';

export interface OpenOptions {
  /** Messages larger than this are not kept (parseMessage then reports their size). */
  maxMessageBytes?: number;
  /** Stream read for "-" (process.stdin by default). */
  stdin?: AsyncIterable<Buffer | string>;
}

/** File names a directory input is read for, besides mbox ones. */
const USABLE = /\.(patch|diff|eml|mbox|mbx|mboxrd|gz)$/i;

export function openInputs(paths: readonly string[], opts: OpenOptions = {}): Source[] {
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const sources: Source[] = [];
  for (const path of paths) {
    if (path === '-') {
      sources.push(stdinSource(opts.stdin ?? process.stdin, maxBytes));
      continue;
    }
    const st = statOrThrow(path);
    if (st.isDirectory()) sources.push(...directorySources(path, maxBytes));
    else if (st.isFile()) sources.push(fileSource(path, maxBytes));
    else throw new InputError(path, 'is neither a file nor a directory');
  }
  return sources;
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    throw new InputError(path, describeFsError(err));
  }
}

function fileSource(path: string, maxBytes: number): Source {
  return {
    name: path,
    messages: (signal?: AbortSignal) => messagesFromStream({ source: path, chunks: readChunks(path), maxBytes, signal }),
  };
}

async function* readChunks(path: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
  } catch (err) {
    throw new InputError(path, describeFsError(err));
  }
}

function stdinSource(stream: AsyncIterable<Buffer | string>, maxBytes: number): Source {
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const c of stream) yield typeof c === 'string' ? Buffer.from(c) : c;
  }
  return { name: 'stdin', messages: (signal?: AbortSignal) => messagesFromStream({ source: 'stdin', chunks: chunks(), maxBytes, signal }) };
}

function directorySources(dir: string, maxBytes: number): Source[] {
  const names = sortedNames(dir);
  if (names.includes('cur') || names.includes('new')) {
    const maildir = maildirSource(dir, maxBytes);
    if (maildir) return [maildir];
  }
  const files = names.filter((n) => USABLE.test(n) && isFile(join(dir, n)));
  if (files.length === 0) throw new InputError(dir, 'has no .patch, .diff, .eml or mbox files');
  return files.map((n) => fileSource(join(dir, n), maxBytes));
}

/** Whether `path` exists and passes `kind`; a failed stat is a no. */
function isKind(path: string, kind: (st: Stats) => boolean): boolean {
  try {
    return kind(statSync(path));
  } catch {
    return false;
  }
}

const isFile = (path: string): boolean => isKind(path, (st) => st.isFile());

function maildirSource(dir: string, maxBytes: number): Source | null {
  const folders = ['cur', 'new'].filter((f) => isKind(join(dir, f), (st) => st.isDirectory()));
  if (folders.length === 0) return null;
  return {
    name: dir,
    async *messages(signal?: AbortSignal): AsyncGenerator<RawMessage> {
      for (const folder of folders) {
        for (const name of sortedNames(join(dir, folder))) {
          if (signal?.aborted) return;
          if (name.startsWith('.')) continue;
          const file = await readFileChecked(join(dir, folder, name), maxBytes);
          if (!file) continue;
          const raw: RawMessage = { source: dir, locator: `/${folder}/${name}`, data: file.data };
          if (file.originalSize !== undefined) raw.originalSize = file.originalSize;
          yield raw;
        }
      }
    },
  };
}
