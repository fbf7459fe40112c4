// Loads a TypeScript entry (bundle-layout.js ENTRIES) from an esbuild bundle of the current sources,
// built on first use and kept in dist/ under the fingerprint of those sources, so it is never stale
// and there is no build step to forget. The bundle starts several times faster than tsx, which
// compiles each of ~200 modules through loader hooks on every run. DEPTBOT_TSX=1, or any failure to
// find or build the bundle (no esbuild, read-only checkout), runs the sources through tsx instead.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENTRIES, ROOT, bundleDir, entryFile } from './bundle-layout.js';
import { fingerprint, sourceFiles } from './source-fingerprint.js';

/** Imports entry `name` and returns its module. */
export async function loadEntry(name) {
  const bundled = process.env.DEPTBOT_TSX ? undefined : await bundledEntry(name).catch(() => undefined);
  if (bundled === undefined) {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(join(ROOT, ENTRIES[name])).href);
  }
  // Stack traces are printed only under --debug; there they name the .ts files and lines, as under
  // tsx. Source maps cost ~15 ms of start-up, so other runs (and review workers, whose errors travel
  // as one line) go without; NODE_OPTIONS=--enable-source-maps turns them on for everything.
  if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
  return import(pathToFileURL(bundled).href);
}

/** The bundle file of entry `name` for the current sources, built when missing. */
export async function bundledEntry(name) {
  const files = sourceFiles(ROOT);
  const dir = bundleDir(ROOT, fingerprint(ROOT, files));
  const file = entryFile(dir, name);
  if (!existsSync(file)) {
    const { buildBundle } = await import('./build-bundle.js');
    await buildBundle(ROOT, dir, files);
  }
  return file;
}
