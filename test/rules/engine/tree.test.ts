import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRule } from '../../../rules/engine/define-rule.ts';
import { reviewSeries } from '../../../rules/engine/review.ts';
import { syntheticSeries } from '../../../rules/engine/synthetic-series.ts';
import type { FunctionFacts } from '../../../rules/engine/types.ts';

const SOURCE = `#include <linux/x.h>

static int foo_wait(struct foo *f)
{
\tint ret = 0;

\tspin_lock(&f->lock);
\tf->count++;
\tret = check(f);
\tspin_unlock(&f->lock);
\treturn ret;
}

static void other(void)
{
\tnothing();
}
`;

// Adds a wait inside the spinlock, far from the lock in the hunk's view.
const PATCH = `diff --git a/drivers/foo.c b/drivers/foo.c
--- a/drivers/foo.c
+++ b/drivers/foo.c
@@ -8,3 +8,4 @@ static int foo_wait(struct foo *f)
 \tf->count++;
 \tret = check(f);
+\twait_for_completion(&f->done);
 \tspin_unlock(&f->lock);
`;

let repo = '';
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'deptbot-tree-test-'));
  git('init', '-q');
  git('config', 'user.email', 't@example.org');
  git('config', 'user.name', 'T');
  mkdirSync(join(repo, 'drivers'));
  writeFileSync(join(repo, 'drivers/foo.c'), SOURCE);
  git('add', '.');
  git('commit', '-qm', 'base');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

function captureRule(sink: { fns: FunctionFacts[]; whole: boolean[] }) {
  return defineRule({
    meta: { id: 't/capture', severity: 'info', description: 'd', messages: { m: 'x' }, triggers: [], scope: 'patch' },
    check(ctx) {
      sink.fns.push(...ctx.functions);
      sink.whole.push(ctx.wholeFunctions);
    },
  });
}

describe('--tree', () => {
  it('applies the series in a temporary worktree and gives rules whole functions', async () => {
    const sink = { fns: [] as FunctionFacts[], whole: [] as boolean[] };
    const series = syntheticSeries('t', [PATCH]);
    series.baseCommit = git('rev-parse', 'HEAD');
    const review = await reviewSeries(series, { rules: [captureRule(sink)], tree: repo });
    expect(review.notes[0]).toMatch(/^reviewed whole functions: series applied to .* at [0-9a-f]{12}$/);
    expect(sink.whole).toEqual([true]);
    const fn = sink.fns.find((f) => f.image === 'new');
    expect(fn).toMatchObject({ name: 'foo_wait', prefixKnown: true, suffixKnown: true, params: ['struct foo *f'] });
    expect(sink.fns.some((f) => f.name === 'other')).toBe(false);
    const lock = fn?.facts.find((f) => f.kind === 'lock');
    const wait = fn?.facts.find((f) => f.kind === 'wait');
    expect(lock).toMatchObject({ line: 7, changed: false });
    expect(wait).toMatchObject({ line: 10, changed: true, target: 'f->done' });
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('says when the series does not apply and falls back to the hunks', async () => {
    const sink = { fns: [] as FunctionFacts[], whole: [] as boolean[] };
    const broken = PATCH.replace('ret = check(f);', 'ret = different(f);');
    const review = await reviewSeries(syntheticSeries('t', [broken]), { rules: [captureRule(sink)], tree: repo });
    expect(review.notes).toHaveLength(1);
    expect(review.notes[0]).toMatch(/^series does not apply to .* at [0-9a-f]{12}: patch 1: .*; reviewed hunks only$/);
    expect(sink.whole).toEqual([false]);
    expect(sink.fns.find((f) => f.image === 'new')).toMatchObject({ name: 'foo_wait', prefixKnown: false });
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('reports a directory that is not a git tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-notree-'));
    try {
      const review = await reviewSeries(syntheticSeries('t', [PATCH]), { rules: [captureRule({ fns: [], whole: [] })], tree: dir });
      expect(review.notes[0]).toMatch(/is not a git tree.*; reviewed hunks only$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
