// Total size of the input files (for the progress bar), walking directories. Bounded so that a
// huge Maildir does not cost a long walk before any work starts.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface InputSize {
  bytes: number;
  /** True when some input is gzip-compressed, so bytes read will exceed `bytes`. */
  compressed: boolean;
}

const MAX_ENTRIES = 100_000;

export async function inputSize(paths: readonly string[]): Promise<InputSize> {
  const size: InputSize = { bytes: 0, compressed: false };
  const pending = [...paths];
  let visited = 0;
  while (pending.length > 0 && visited++ < MAX_ENTRIES) {
    const path = pending.pop() as string;
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) {
      const names = await readdir(path).catch(() => [] as string[]);
      pending.push(...names.map((n) => join(path, n)));
    } else {
      size.bytes += info.size;
      if (path.endsWith('.gz')) size.compressed = true;
    }
  }
  return size;
}
