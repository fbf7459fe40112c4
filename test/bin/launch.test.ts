// bin/launch.js runs the TypeScript sources from an esbuild bundle cached under the fingerprint of
// those sources. The bundle must behave exactly like the sources under tsx (DEPTBOT_TSX=1), and must
// never be used for sources other than its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../bin/build-bundle.js';
import { BUILD_FILES, ENTRIES, ROOT, bundleDir, distDir, entryFile } from '../../bin/bundle-layout.js';
import { bundledEntry } from '../../bin/launch.js';
import { fingerprint, sourceFiles } from '../../bin/source-fingerprint.js';

const temps: string[] = [];
afterAll(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A project with the layout the launcher expects: bot/, rules/, config/ and the build files. */
function project(sources: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'deptbot-launch-'));
  temps.push(root);
  const files: Record<string, string> = {
    'package.json': '{ "type": "module", "version": "9.8.7" }\n',
    'tsconfig.json': '{ "compilerOptions": { "verbatimModuleSyntax": true } }\n',
    'rules/index.ts': 'export const rules = [];\n',
    'config/x.ts': 'export const x = 1;\n',
    ...sources,
  };
  for (const [file, text] of Object.entries(files)) write(root, file, text);
  for (const file of BUILD_FILES.filter((f) => f.startsWith('bin/'))) write(root, file, readFileSync(join(ROOT, file), 'utf8'));
  return root;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

const entries = {
  [ENTRIES.deptbot]: [
    "import { readFileSync } from 'node:fs';",
    "export const url = import.meta.url;",
    "export const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;",
    "export class Clash { static where = 'cli'; }",
    "export const lazy = async () => (await import('./lazy.ts')).Clash.name;",
  ].join('\n'),
  'bot/lazy.ts': "export class Clash { static where = 'lazy'; }\n",
  [ENTRIES['review-worker']]: "export const worker = import.meta.url;\n",
};

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function build(root: string): Promise<string> {
  const files = sourceFiles(root);
  const dir = bundleDir(root, fingerprint(root, files));
  await buildBundle(root, dir, files);
  return dir;
}

describe('source fingerprint', () => {
  it('changes with the bytes of any .ts source, even at the same size and mtime, and with the location', () => {
    const root = project({ 'bot/a.ts': 'export const a = 1;\n' });
    const first = fingerprint(root, sourceFiles(root));
    expect(fingerprint(root, sourceFiles(root))).toBe(first);

    const stamp = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(root, 'bot/a.ts'), stamp, stamp);
    expect(fingerprint(root, sourceFiles(root))).toBe(first);
    write(root, 'bot/a.ts', 'export const a = 2;\n');
    utimesSync(join(root, 'bot/a.ts'), stamp, stamp);
    const edited = fingerprint(root, sourceFiles(root));
    expect(edited).not.toBe(first);

    write(root, 'rules/deep/new.ts', 'export {};\n');
    expect(fingerprint(root, sourceFiles(root))).not.toBe(edited);
    write(root, 'tsconfig.json', '{}\n');
    expect(sourceFiles(root)).toContain('tsconfig.json');

    const twin = project({ 'bot/a.ts': 'export const a = 1;\n' });
    expect(fingerprint(twin, sourceFiles(twin))).not.toBe(first);
  });

  it('ignores files other than .ts under the source directories', () => {
    const root = project({ 'bot/a.ts': 'export {};\n' });
    const before = fingerprint(root, sourceFiles(root));
    write(root, 'rules/a.md', '# doc\n');
    expect(fingerprint(root, sourceFiles(root))).toBe(before);
  });
});

describe('buildBundle', () => {
  it('gives modules the import.meta.url of their source, splits lazy imports and keeps class names', async () => {
    const root = project(entries);
    const dir = await build(root);
    const cli = (await import(pathToFileURL(entryFile(dir, 'deptbot')).href)) as { url: string; version: string; lazy(): Promise<string> };
    expect(cli.url).toBe(pathToFileURL(join(root, 'bot/cli.ts')).href);
    expect(cli.version).toBe('9.8.7');
    expect(await cli.lazy()).toBe('Clash');
    const worker = (await import(pathToFileURL(entryFile(dir, 'review-worker')).href)) as { worker: string };
    expect(worker.worker).toBe(pathToFileURL(join(root, 'bot/review-worker.ts')).href);
    expect(readdirSync(dir).filter((f) => f.startsWith('lazy-'))).toHaveLength(2); // the chunk and its map
  });

  it('lets parallel builds of the same sources race: one complete bundle, no scratch left', async () => {
    const root = project(entries);
    const files = sourceFiles(root);
    const dir = bundleDir(root, fingerprint(root, files));
    // As when tests start many deptbot processes at once on a fresh checkout.
    const script = `import { buildBundle } from ${JSON.stringify(pathToFileURL(join(ROOT, 'bin/build-bundle.js')).href)};
      await buildBundle(${JSON.stringify(root)}, ${JSON.stringify(dir)}, ${JSON.stringify(files)});`;
    const codes = await Promise.all([1, 2, 3, 4].map(() => exitCode(spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }))));
    expect(codes).toEqual([0, 0, 0, 0]);
    // And builds in one process queue up.
    await Promise.all([1, 2].map(() => buildBundle(root, dir, files)));
    expect(readdirSync(distDir(root))).toEqual([dir.slice(distDir(root).length + 1)]);
    expect(existsSync(entryFile(dir, 'deptbot'))).toBe(true);
  });

  it('refuses inputs the fingerprint does not cover and import.meta other than url', async () => {
    const outside = project({ ...entries, 'bot/helper.js': 'export const h = 1;\n', 'bot/review-worker.ts': "import { h } from './helper.js';\nexport const w = h;\n" });
    await expect(build(outside)).rejects.toThrow(/outside its fingerprint: bot\/helper\.js/);
    const dirname = project({ ...entries, 'bot/review-worker.ts': 'export const d = import.meta.dirname;\n' });
    await expect(build(dirname)).rejects.toThrow(/only import\.meta\.url/);
    expect(readdirSync(distDir(dirname))).toEqual([]);
  });

  it('removes other bundles and scratch directories once they are old, and keeps recent ones', async () => {
    const root = project(entries);
    const dist = distDir(root);
    const old = new Date(Date.now() - 3600_000);
    for (const name of ['bundle-old', 'tmp-1-old', 'bundle-recent', 'keep-me']) mkdirSync(join(dist, name), { recursive: true });
    for (const name of ['bundle-old', 'tmp-1-old', 'keep-me']) utimesSync(join(dist, name), old, old);
    const dir = await build(root);
    expect(readdirSync(dist).sort()).toEqual(['bundle-recent', dir.slice(dist.length + 1), 'keep-me'].sort());
  });
});

describe('bin/deptbot.js', () => {
  it('runs the bundle of the current sources', async () => {
    const file = await bundledEntry('deptbot');
    expect(existsSync(file)).toBe(true);
    expect(dirname(file)).toBe(bundleDir(ROOT, fingerprint(ROOT, sourceFiles(ROOT))));
  });

  const cases = [
    ['--version'],
    ['--help'],
    ['rules'],
    ['explain', 'revoke/removed-api'],
    ['explain', 'no/such-rule'],
    ['watch', '--help'],
    ['github', '--help'],
    ['status', '--state', join(tmpdir(), 'deptbot-no-such-state.sqlite')],
    ['review', 'corpus/examples/dma-buf-revoke-demo', '--format', 'json'],
    ['review', 'corpus/examples/dma-buf-revoke-demo', '--format', 'nope'],
    ['frobnicate'],
  ];
  it.each(cases.map((args) => [args.join(' '), args] as const))('answers `deptbot %s` exactly as the sources under tsx do', (_title, args) => {
    const run = (env: NodeJS.ProcessEnv) => {
      const r = spawnSync(process.execPath, ['bin/deptbot.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const bundled = run({ DEPTBOT_TSX: '' });
    expect(bundled).toEqual(run({ DEPTBOT_TSX: '1' }));
    expect(bundled.stdout.length + bundled.stderr.length).toBeGreaterThan(0);
  });
});
