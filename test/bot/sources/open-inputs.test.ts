import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../bot/errors.ts';
import type { RawMessage } from '../../../bot/model.ts';
import { gitRangeSource } from '../../../bot/sources/git-range.ts';
import { openInputs } from '../../../bot/sources/open-inputs.ts';
import type { Source } from '../../../bot/sources/types.ts';
import { mailText, tinyDiff } from '../../helpers/mail-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'deptbot-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEP = 'From mboxrd@z Thu Jan  1 00:00:00 1970';
const mbox = [1, 2, 3].map((i) => `${SEP}\n${mailText({ subject: `[PATCH ${i}/3] p`, id: `m${i}` })}`).join('\n');

function file(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function collect(sources: Source[]): Promise<RawMessage[]> {
  const out: RawMessage[] = [];
  for (const s of sources) for await (const m of s.messages()) out.push(m);
  return out;
}

describe('openInputs', () => {
  it('splits an mbox and names each message by its position', async () => {
    const msgs = await collect(openInputs([file('a.mbox', mbox)]));
    expect(msgs.map((m) => m.locator)).toEqual(['#1', '#2', '#3']);
    expect(msgs[0]?.source).toMatch(/a\.mbox$/);
    expect(msgs[1]?.data.toString()).toContain('Message-ID: <m2>');
  });

  it('streams a gzip-compressed mbox', async () => {
    const msgs = await collect(openInputs([file('a.mbox.gz', gzipSync(mbox))]));
    expect(msgs).toHaveLength(3);
  });

  it('reads a single .eml and a bare .diff as one message each', async () => {
    const msgs = await collect(openInputs([file('one.eml', mailText({ subject: 'x' })), file('bare.diff', tinyDiff())]));
    expect(msgs.map((m) => m.locator)).toEqual(['', '']);
    expect(msgs[1]?.data.toString()).toBe(tinyDiff());
  });

  it('reads a directory of patches in name order', async () => {
    const d = join(dir, 'series');
    mkdirSync(d);
    writeFileSync(join(d, '0002-b.patch'), mailText({ subject: '[PATCH 2/2] b' }));
    writeFileSync(join(d, '0001-a.patch'), `From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n${mailText({ subject: '[PATCH 1/2] a' })}`);
    writeFileSync(join(d, 'notes.txt'), 'ignored');
    const msgs = await collect(openInputs([d]));
    expect(msgs.map((m) => m.source.split('/').pop())).toEqual(['0001-a.patch', '0002-b.patch']);
  });

  it('reads a Maildir (cur/ and new/)', async () => {
    const md = join(dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(md, sub), { recursive: true });
    writeFileSync(join(md, 'cur', '1.host:2,S'), mailText({ subject: 'a' }));
    writeFileSync(join(md, 'new', '2.host'), mailText({ subject: 'b' }));
    writeFileSync(join(md, 'tmp', '3.host'), mailText({ subject: 'partial' }));
    const msgs = await collect(openInputs([md]));
    expect(msgs.map((m) => m.locator)).toEqual(['/cur/1.host:2,S', '/new/2.host']);
  });

  it('reads stdin: mbox, single message or bare diff', async () => {
    const viaStdin = (text: string) => collect(openInputs(['-'], { stdin: Readable.from([Buffer.from(text)]) }));
    expect(await viaStdin(mbox)).toHaveLength(3);
    expect((await viaStdin(mailText({ subject: 'x' })))[0]?.source).toBe('stdin');
    expect((await viaStdin(tinyDiff()))[0]?.data.toString()).toBe(tinyDiff());
    expect(await collect(openInputs(['-'], { stdin: Readable.from([gzipSync(mbox)]) }))).toHaveLength(3);
  });

  it('passes on the size of an oversized message instead of its bytes', async () => {
    const [m] = await collect(openInputs([file('big.eml', mailText({ subject: 'x', body: 'y'.repeat(5000) }))], { maxMessageBytes: 1000 }));
    expect(m?.data.length).toBe(0);
    expect(m?.originalSize).toBeGreaterThan(5000);
  });

  it('fails with one line for missing, empty or unusable inputs', async () => {
    expect(() => openInputs([join(dir, 'nope.mbox')])).toThrow(/nope\.mbox: no such file or directory$/);
    const empty = join(dir, 'empty-dir');
    mkdirSync(empty);
    expect(() => openInputs([empty])).toThrow(/empty-dir: has no \.patch, \.diff, \.eml or mbox files$/);
    await expect(collect(openInputs([file('empty.patch', '')]))).rejects.toThrow(/empty\.patch: is empty$/);
    await expect(collect(openInputs([file('bad.mbox.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]))]))).rejects.toBeInstanceOf(InputError);
  });

  it.runIf(process.getuid?.() !== 0)('reports an unreadable file', async () => {
    const p = file('secret.eml', 'x');
    chmodSync(p, 0o000);
    await expect(collect(openInputs([p]))).rejects.toThrow(/permission denied/);
  });
});

describe('gitRangeSource', () => {
  const repo = join(dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z' } });

  it('yields the series git format-patch would send, threaded under patch 1', async () => {
    mkdirSync(repo);
    git('init', '-q');
    git('config', 'user.name', 'Dev');
    git('config', 'user.email', 'dev@example.org');
    for (const [i, name] of ['base', 'one', 'two'].entries()) {
      writeFileSync(join(repo, 'f.c'), `int x = ${i};\n`);
      git('add', 'f.c');
      git('commit', '-q', '-m', `f: ${name}`);
    }
    const msgs = await collect([gitRangeSource('HEAD~2..HEAD', repo)]);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]?.locator).toMatch(/^@[0-9a-f]{12}$/);
    const second = msgs[1]?.data.toString() ?? '';
    expect(second).toMatch(/Subject: \[PATCH 2\/2\] f: two/);
    expect(second).toMatch(/In-Reply-To: <[^>]+>/);
    const one = await collect([gitRangeSource('HEAD~1', repo)]);
    expect(one[0]?.data.toString()).toMatch(/Subject: \[PATCH\] f: two/);
  });

  it('fails with one line outside a git tree, on a bad range, or an empty one', async () => {
    await expect(collect([gitRangeSource('HEAD~1', dir)])).rejects.toThrow(/^git:HEAD~1: git format-patch failed: fatal: not a git repository/);
    await expect(collect([gitRangeSource('nosuchref..HEAD', repo)])).rejects.toThrow(/git format-patch failed/);
    await expect(collect([gitRangeSource('HEAD..HEAD', repo)])).rejects.toThrow(/no commits/);
    expect(() => gitRangeSource('--output=/tmp/x', repo)).toThrow(InputError);
  });
});
