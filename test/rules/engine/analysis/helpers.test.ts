import { beforeAll, describe, expect, it } from 'vitest';
import { findCalls } from '../../../../rules/engine/analysis/calls.ts';
import { extraConditions, within } from '../../../../rules/engine/analysis/conditions.ts';
import { exitsAfter } from '../../../../rules/engine/analysis/exits.ts';
import { addsText } from '../../../../rules/engine/analysis/hunk-text.ts';
import { syntheticSeries } from '../../../../rules/engine/synthetic-series.ts';
import { sameTarget } from '../../../../rules/engine/analysis/targets.ts';
import { callTo, fnOf, indexOf, loadCParser } from './fixture.ts';

beforeAll(() => loadCParser());

describe('sameTarget', () => {
  it('ignores address-of, parentheses and spacing but not the base object', () => {
    expect(sameTarget('&x->lock', 'x->lock')).toBe(true);
    expect(sameTarget('&(x)->lock', '( & x -> lock )')).toBe(true);
    expect(sameTarget('dmabuf->resv', 'buf->resv')).toBe(false);
    expect(sameTarget('x->lock', 'x->lock2')).toBe(false);
  });
});

describe('findCalls', () => {
  it('finds calls by one or several names from an index on', () => {
    const fn = fnOf(['static void f(void)', '{', '\ta(1);', '\tb(2);', '\ta(3);', '}']);
    expect(findCalls(fn, 'a').map((c) => c.fact.args[0])).toEqual(['1', '3']);
    expect(findCalls(fn, ['a', 'b'], 1).map((c) => c.fact.callee)).toEqual(['b', 'a']);
    expect(findCalls(fn, new Set(['zz']))).toEqual([]);
  });
});

describe('exitsAfter', () => {
  it('lists returns and gotos after a point with their conditions', () => {
    const fn = fnOf([
      'static int f(void)',
      '{',
      '\tret = charge();',
      '\tif (ret)',
      '\t\tgoto err_free;',
      '\tif (!p)',
      '\t\treturn -ENOMEM;',
      '\treturn 0;',
      'err_free:',
      '\treturn ret;',
      '}',
    ]);
    const exits = exitsAfter(fn, indexOf(fn, callTo('charge')));
    expect(exits.map((e) => [e.fact.kind === 'goto' ? e.fact.label : e.fact.value, e.conditions, e.error, e.sameBranch])).toEqual([
      ['err_free', ['ret'], true, true],
      ['-ENOMEM', ['!p'], true, true],
      ['0', [], false, true],
      ['ret', [], false, true],
    ]);
  });

  it('marks exits on another branch and after a gap', () => {
    const fn = fnOf(['static int f(void)', '{', '\tif (a) {', '\t\tcharge();', '\t}', '\treturn -EIO;', '}']);
    const [e] = exitsAfter(fn, indexOf(fn, callTo('charge')));
    expect(e).toMatchObject({ sameBranch: false, conditions: [], afterGap: false, error: true });
  });
});

describe('conditions', () => {
  it('relates nested blocks', () => {
    expect(within({ conditions: ['a'] }, { conditions: ['a', 'b'] })).toBe(true);
    expect(within({ conditions: ['a'] }, { conditions: ['!(a)'] })).toBe(false);
    expect(extraConditions({ conditions: ['a'] }, { conditions: ['a', 'b'] })).toEqual(['b']);
  });
});

describe('addsText', () => {
  const file = syntheticSeries('s', [
    'diff --git a/d.c b/d.c\n--- a/d.c\n+++ b/d.c\n@@ -1,3 +1,3 @@\n static const struct dma_fence_ops ops = {\n-\t.wait = old_wait,\n+\t.signaled = foo_signaled,\n \t.release = foo_release,\n',
  ]).patches[0]!.files[0]!;
  it('looks at added lines only', () => {
    expect(addsText(file, '.signaled')).toBe(true);
    expect(addsText(file, '.wait')).toBe(false);
    expect(addsText(file, '.release')).toBe(false);
  });
});
