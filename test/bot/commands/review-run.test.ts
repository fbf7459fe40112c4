import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runReview, type ReviewCommandOptions } from '../../../bot/commands/review-run.ts';
import { InputError, UsageError } from '../../../bot/errors.ts';
import type { SourceFactory } from '../../../bot/wiring.ts';
import { defineRule } from '../../../rules/engine/define-rule.ts';
import { fakeSource, fakeStages } from '../../helpers/fake-pipeline.ts';

// Inputs are real files; each line is one fake raw message (see fake-pipeline.ts).
const fakeSources: SourceFactory = {
  open: (paths) => paths.map((p) => fakeSource(p, readFileSync(p, 'utf8').trim().split('\n'))),
  git: () => fakeSource('git:HEAD~1..', ['clean|v1|1/1']),
};

const xyRule = defineRule({
  meta: { id: 'x/y', severity: 'error', description: 'test rule', messages: { m: 'm' }, triggers: [], scope: 'patch' },
  check() {},
});

function capture(isTTY = false) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

async function review(opts: Partial<ReviewCommandOptions>, files: Record<string, string> = {}, extra: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'deptbot-review-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content);
  const out = capture(extra.tty);
  const err = capture(extra.tty);
  const code = await runReview(
    { inputs: [], ...opts },
    { cwd, stdout: out.stream, stderr: err.stream, env: extra.env ?? {}, stages: fakeStages(), sources: fakeSources, rules: [xyRule] },
  );
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text(), cwd };
}

describe('runReview exit codes', () => {
  it('exits 0 without findings and prints nothing on stderr', async () => {
    const r = await review({ inputs: ['a.mbox'] }, { 'a.mbox': 'clean|v1|1/1' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('1 series, 1 patch, 0 follow-ups, 0 skipped');
  });

  it('exits 1 on an error finding', async () => {
    expect((await review({ inputs: ['a.mbox'] }, { 'a.mbox': 'dma|v1|1/1' })).code).toBe(1);
  });

  it('exits 0 on warnings unless --fail-on asks for them', async () => {
    const files = { 'a.mbox': 'warn|v1|1/1' };
    expect((await review({ inputs: ['a.mbox'] }, files)).code).toBe(0);
    expect((await review({ inputs: ['a.mbox'], failOn: 'warning' }, files)).code).toBe(1);
    expect((await review({ inputs: ['a.mbox'], failOn: 'info' }, files)).code).toBe(1);
  });

  it('takes failOn from the config file, and the flag wins over it', async () => {
    const files = { 'a.mbox': 'warn|v1|1/1', 'deptbot.config.yaml': 'review:\n  failOn: warning\n' };
    expect((await review({ inputs: ['a.mbox'] }, files)).code).toBe(1);
    expect((await review({ inputs: ['a.mbox'], failOn: 'error' }, files)).code).toBe(0);
  });

  it('names each bad input on stderr in one line and reviews the rest', async () => {
    const r = await review({ inputs: ['gone.mbox', 'a.mbox', 'also-gone'] }, { 'a.mbox': 'clean|v1|1/1' });
    expect(r.stderr).toBe('deptbot: gone.mbox: no such file or directory\ndeptbot: also-gone: no such file or directory\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 series');
  });

  it('exits 2 when input errors leave nothing to review', async () => {
    const r = await review({ inputs: ['gone.mbox'] });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('deptbot: gone.mbox: no such file or directory\n');
  });

  it('reports a message that does not parse and goes on', async () => {
    const r = await review({ inputs: ['a.mbox'] }, { 'a.mbox': 'bad\nclean|v1|1/1' });
    expect(r.stderr).toMatch(/^deptbot: .*a\.mbox#1: not a mail message\n$/);
    expect(r.code).toBe(0);
  });
});

describe('runReview options', () => {
  it('rejects a run without input, unknown formats and conflicting revision flags', async () => {
    await expect(review({})).rejects.toThrow(UsageError);
    await expect(review({ inputs: ['a'], format: 'xml' })).rejects.toThrow('--format: unknown format "xml" (text, json, sarif, email)');
    await expect(review({ inputs: ['a'], revision: 2, allRevisions: true })).rejects.toThrow(UsageError);
  });

  it('names the config key when the config asks for an unknown format', async () => {
    await expect(review({ inputs: ['a'] }, { 'deptbot.config.yaml': 'review:\n  format: xml\n' })).rejects.toThrow(
      'deptbot.config.yaml: review.format: unknown format "xml"',
    );
  });

  it('rejects a config that names an unknown rule', async () => {
    const err = await review({ inputs: ['a'], config: 'c.yaml' }, { 'c.yaml': 'rules:\n  x/z: off\n' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('c.yaml: rules.x/z: unknown rule id (see `deptbot rules`)');
  });

  it('writes --output FILE and leaves stdout empty', async () => {
    const r = await review({ inputs: ['a.mbox'], format: 'json', output: 'out.json' }, { 'a.mbox': 'dma|v1|1/1' });
    expect(r.stdout).toBe('');
    const json = JSON.parse(readFileSync(join(r.cwd, 'out.json'), 'utf8'));
    expect(json.series[0].findings[0]).toMatchObject({ ruleId: 'x/y', file: 'a.c', line: 1 });
  });

  it('chooses revisions: latest by default, --revision N, --all-revisions', async () => {
    const files = { 'a.mbox': ['r|v1|1/1', 'r|v2|1/1', 'r|v3|1/1'].join('\n') };
    const revs = async (o: Partial<ReviewCommandOptions>) =>
      JSON.parse((await review({ inputs: ['a.mbox'], format: 'json', ...o }, files)).stdout).series.map((s: { revision: number }) => s.revision);
    expect(await revs({})).toEqual([3]);
    expect(await revs({ revision: 2 })).toEqual([2]);
    expect(await revs({ allRevisions: true })).toEqual([1, 2, 3]);
  });

  it('reviews --git RANGE as a source', async () => {
    const r = await review({ git: 'HEAD~1..' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 series');
  });

  it('colours text only on a TTY without NO_COLOR', async () => {
    const files = { 'a.mbox': 'dma|v1|1/1' };
    expect((await review({ inputs: ['a.mbox'] }, files, { tty: true })).stdout).toMatch(/\x1b\[/);
    expect((await review({ inputs: ['a.mbox'] }, files, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
    expect((await review({ inputs: ['a.mbox'] }, files)).stdout).not.toMatch(/\x1b\[/);
  });

  it('rejects --tree that is not a directory', async () => {
    await expect(review({ inputs: ['a'], tree: 'no-tree' })).rejects.toThrow('no-tree: not a directory');
  });
});
