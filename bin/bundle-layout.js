// Where the cached bundles of the TypeScript sources live and what they are built from (launch.js).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bin/..), with a trailing slash. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bundle entry name -> its TypeScript module, relative to the root. */
export const ENTRIES = {
  deptbot: 'bot/cli.ts',
  'review-worker': 'bot/review-worker.ts',
};

/** dist/ is ignored by git and eslint. A bundle is the directory named by its sources' fingerprint. */
export const distDir = (root) => join(root, 'dist');
export const bundleDir = (root, fingerprint) => join(distDir(root), `bundle-${fingerprint}`);
export const entryFile = (dir, name) => join(dir, `${name}.mjs`);

/** Every .ts file under these directories is a source of the bundles... */
export const SOURCE_DIRS = ['bot', 'rules', 'config'];
/** ...and so are these files, which shape how the sources are compiled. */
export const BUILD_FILES = ['package.json', 'tsconfig.json', 'bin/build-bundle.js', 'bin/bundle-layout.js'];
