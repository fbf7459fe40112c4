// Small file helpers for sources: directory listings in a stable order, size-checked reads.
import { readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.ts';

/** Entry names of a directory, sorted by code point (stable across locales). */
export function sortedNames(dir: string): string[] {
  try {
    return readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (err) {
    throw new InputError(dir, describeFsError(err));
  }
}

export interface CheckedFile {
  data: Buffer;
  /** Set when the file is over the limit: its size (data is then empty). */
  originalSize?: number;
}

/** Reads a regular file unless it is larger than maxBytes; null when it is not a regular file. */
export async function readFileChecked(path: string, maxBytes: number): Promise<CheckedFile | null> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return null;
    if (st.size > maxBytes) return { data: Buffer.alloc(0), originalSize: st.size };
    return { data: await readFile(path) };
  } catch (err) {
    throw new InputError(path, describeFsError(err));
  }
}

/** A one-line reason for a failed file system call. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? (err.message.split('\n')[0] ?? 'cannot be read') : 'cannot be read';
}
