// Commands register their options eagerly and load their implementation only when they run, so that
// --help, --version and `review` of a few patches start without the packages they do not use.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'deptbot-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A module hook that writes down every module URL the process resolves.
writeFileSync(join(dir, 'hooks.mjs'), [
  "import { appendFileSync } from 'node:fs';",
  'export async function resolve(specifier, context, next) {',
  '  const result = await next(specifier, context);',
  '  appendFileSync(process.env.DEPTBOT_TEST_TRACE, `${result.url}\\n`);',
  '  return result;',
  '}',
].join('\n'));
writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");

let runs = 0;
/** The packages (node_modules/<name>) that `deptbot ...args` imports. */
function packagesLoaded(...args: string[]): Set<string> {
  const trace = join(dir, `trace-${++runs}.txt`);
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), 'bin/deptbot.js', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, DEPTBOT_TEST_TRACE: trace },
  });
  expect(r.error).toBeUndefined();
  const names = readFileSync(trace, 'utf8').split('\n').map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]);
  // esbuild and tsx only when the launcher builds a bundle or falls back to tsx.
  return new Set(names.filter((n): n is string => n !== undefined && n !== 'esbuild' && n !== 'tsx'));
}

const SERVICE_PACKAGES = ['octokit', 'imapflow', 'better-sqlite3', 'pino', 'nodemailer', 'mailparser'];

describe('lazy command implementations', () => {
  const light = [['--version'], ['--help'], ['watch', '--help'], ['github', '--help'], ['review', '--help'], ['frobnicate']];
  it.each(light.map((args) => [args.join(' '), args] as const))('`deptbot %s` loads no package but commander', (_title, args) => {
    expect([...packagesLoaded(...args)]).toEqual(['commander']);
  });

  it('rules and explain load the rules without mail, SQLite, logging or GitHub packages', () => {
    for (const args of [['rules'], ['explain', 'revoke/removed-api']]) {
      const loaded = packagesLoaded(...args);
      expect(SERVICE_PACKAGES.filter((p) => loaded.has(p))).toEqual([]);
    }
  });

  it('review of patch files loads neither GitHub, IMAP, SQLite nor logging packages', () => {
    const loaded = packagesLoaded('review', 'corpus/examples/dma-buf-revoke-demo');
    expect(loaded.has('mailparser')).toBe(true);
    expect(['octokit', 'imapflow', 'better-sqlite3', 'pino'].filter((p) => loaded.has(p))).toEqual([]);
  });
});
