// Builds the bundles (bundle-layout.js ENTRIES) of the current sources with esbuild into their
// fingerprint's directory. Loaded only when that directory is missing; a build takes ~0.2 s.
// Processes started in parallel may all build: each writes a directory of its own and renames it into
// place, so a bundle directory is always complete, and the first rename wins.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENTRIES } from './bundle-layout.js';

/**
 * Other bundles (of older sources) and leftovers of killed builds are removed once they are this old:
 * a process imports all of its bundle's chunks within its first seconds, and review workers find
 * the bundle of the sources of their own start.
 */
const STALE_MS = 10 * 60 * 1000;

// Builds in one thread run one at a time: esbuild.stop() would cut off a build still running.
let queue = Promise.resolve();

/**
 * Builds the bundle of `files` (sourceFiles(root)) into `dir`; throws when esbuild fails or reads a
 * file that the fingerprint does not cover.
 */
export function buildBundle(root, dir, files) {
  const run = queue.then(() => build(root, dir, files));
  queue = run.catch(() => undefined);
  return run;
}

async function build(root, dir, files) {
  const esbuild = await import('esbuild');
  const dist = dirname(dir);
  mkdirSync(dist, { recursive: true });
  const tmp = scratchDir(dist);
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, src]) => [name, join(root, src)])),
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      // Code splitting keeps dynamic imports lazy: a command loads only the chunks (and packages) it uses.
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      // Bundling renames clashing identifiers; keep the names that classes and functions report.
      keepNames: true,
      // The maps point at the .ts files in place (for --debug stack traces) without copying them.
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [sourceImportMetaUrl],
    });
    const covered = new Set(files);
    const outside = Object.keys(result.metafile.inputs).filter((input) => !covered.has(input));
    if (outside.length > 0) throw new Error(`bundle reads files outside its fingerprint: ${outside.join(', ')}`);
    install(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await esbuild.stop();
  }
  removeStale(dist, dir);
}

/**
 * Gives each module the import.meta.url of its source file, as under tsx, so that paths resolved from
 * it (package.json, rules/, bin/review-worker.js, packages) do not depend on where the bundle lives.
 */
const sourceImportMetaUrl = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const contents = text.replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(path).href));
      if (contents.includes('import.meta')) throw new Error(`${path}: only import.meta.url is supported in a bundle`);
      return { contents, loader: 'ts' };
    });
  },
};

function scratchDir(dist) {
  return join(dist, `tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

function install(tmp, dir) {
  try {
    renameSync(tmp, dir);
  } catch (err) {
    // Another process installed the same sources' bundle first.
    if (!existsSync(dir)) throw err;
  }
}

/** Removes old bundles (renamed away first, so no half-deleted bundle is ever found) and scratch dirs. */
function removeStale(dist, keep) {
  const now = Date.now();
  for (const name of readdirSync(dist)) {
    const path = join(dist, name);
    if (path === keep || !/^(bundle|tmp)-/.test(name)) continue;
    try {
      if (now - statSync(path).mtimeMs < STALE_MS) continue;
      const doomed = name.startsWith('bundle-') ? scratchDir(dist) : path;
      if (doomed !== path) renameSync(path, doomed);
      rmSync(doomed, { recursive: true, force: true });
    } catch {
      // Gone already, or another process is removing it.
    }
  }
}
