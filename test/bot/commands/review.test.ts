// `deptbot review` end to end: main() in-process on real inputs, and one spawned process for the
// real exit code.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../bot/cli.ts';
import { allRules } from '../../../rules/index.ts';
import { corpusPath, repoRoot } from '../../helpers/corpus.ts';

const example = `${repoRoot}/corpus/examples/dma-buf-revoke-demo`;
const revoke = ['v5', 'v6', 'v7'].map((v) => corpusPath(`series/dma-buf-revoke-${v}.mbox`));

async function run(args: string[]) {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += String(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  const code = await main(['review', ...args]);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('deptbot review (in-process)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reviews the latest revision of the revoke series by default, all three with --all-revisions', async () => {
    const latest = await run([...revoke, '--format', 'json']);
    expect(latest.err).toBe('');
    const series = JSON.parse(latest.out).series;
    expect(series.map((s: { revision: number }) => s.revision)).toEqual([7]);
    expect(series[0]).toMatchObject({ expected: 8, complete: true });
    expect(series[0].patches).toHaveLength(8);
    const all = JSON.parse((await run([...revoke, '--format', 'json', '--all-revisions'])).out).series;
    expect(all.map((s: { revision: number }) => s.revision)).toEqual([5, 6, 7]);
    const only6 = JSON.parse((await run([...revoke, '--format', 'json', '--revision', '6'])).out).series;
    expect(only6.map((s: { revision: number }) => s.revision)).toEqual([6]);
  });

  it('prints text with a summary line by default', async () => {
    const r = await run([corpusPath('series/cma-dmem-v1.mbox')]);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^1 series, 1 patch, \d+ follow-ups?, \d+ skipped.*; findings: /);
  });

  it('names a missing input on stderr and exits 2 when nothing is left to review', async () => {
    const r = await run(['no-such-file.mbox']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('deptbot: no-such-file.mbox: no such file or directory\n');
  });

  it('rejects a bad --fail-on and --revision as usage errors', async () => {
    expect((await run([example, '--fail-on', 'fatal'])).code).toBe(2);
    const r = await run([example, '--revision', 'two']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('deptbot: --revision: expected a positive number, got "two"\n');
  });

  it.runIf(allRules.some((r) => r.meta.id === 'revoke/removed-api'))('finds the removed API in the bundled example and exits 1', async () => {
    const r = await run([example, '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.out).series[0].findings;
    expect(findings).toContainEqual(
      expect.objectContaining({ ruleId: 'revoke/removed-api', patch: 2, file: 'drivers/gpu/drm/demo/demo_dmabuf.c', line: 62 }),
    );
  });
});

describe('node bin/deptbot.js review', () => {
  it('exits with the code main() returns and keeps stdout clean on errors', () => {
    const r = spawnSync(process.execPath, ['bin/deptbot.js', 'review', 'no-such-file.mbox'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('deptbot: no-such-file.mbox: no such file or directory\n');
    expect(r.stdout).not.toContain('deptbot:');
  });

  it('reviews the bundled example', () => {
    const r = spawnSync(process.execPath, ['bin/deptbot.js', 'review', 'corpus/examples/dma-buf-revoke-demo'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('== drm/demo: revoke dma-bufs on device unplug (v1, 2/2 patches, complete) ==');
    expect(r.status).toBe(allRules.some((x) => x.meta.id === 'revoke/removed-api') ? 1 : 0);
  });
});
