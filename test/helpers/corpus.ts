// Real data lives in ../shared/corpus beside the repository; tests read it there, never copy it.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedCorpus = resolve(repoRoot, '../shared/corpus');

/** Absolute path of a file under ../shared/corpus, e.g. corpusPath('series/dept-v18.mbox'). */
export function corpusPath(name: string): string {
  const p = resolve(sharedCorpus, name);
  if (!existsSync(p)) throw new Error(`corpus file missing: ${p}`);
  return p;
}
