// The fingerprint of what a bundle is built from: a hash of the path and bytes of every source file
// (bundle-layout.js) and of the repository's location, which bundles embed. Contents, not mtimes, so
// that a bundle is never used for sources other than its own; hashing them takes a few ms.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_FILES, SOURCE_DIRS } from './bundle-layout.js';

/** The source files, relative to root with / separators, in a fixed order. */
export function sourceFiles(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts')) found.push(rel);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return [...found.sort(), ...BUILD_FILES];
}

export function fingerprint(root, files) {
  const hash = createHash('sha256').update(root);
  for (const file of files) {
    const bytes = readFileSync(join(root, file));
    hash.update(`\0${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex').slice(0, 24);
}
