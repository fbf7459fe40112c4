import { beforeAll, describe, expect, it } from 'vitest';
import { atomicHeld, heldFamilies, lockStateAt } from '../../../../rules/engine/analysis/lock-state.ts';
import { callTo, fnOf, indexOf, loadCParser } from './fixture.ts';

beforeAll(() => loadCParser());
const targets = (ls: { target: string }[]) => ls.map((l) => l.target);

describe('lockStateAt', () => {
  it('tracks acquire and release by target', () => {
    const fn = fnOf(['static void f(struct d *d)', '{', '\tspin_lock_irqsave(&d->lock, fl);', '\tmutex_lock(&d->m);', '\tsleep_a();', '\tspin_unlock_irqrestore(&d->lock, fl);', '\tsleep_b();', '}']);
    const a = lockStateAt(fn, indexOf(fn, callTo('sleep_a')));
    expect(targets(a.held)).toEqual(['d->lock', 'd->m']);
    expect(a.unknown).toBe(false);
    expect(atomicHeld(a)?.target).toBe('d->lock');
    const b = lockStateAt(fn, indexOf(fn, callTo('sleep_b')));
    expect(targets(b.held)).toEqual(['d->m']);
    expect([...heldFamilies(b)]).toEqual(['mutex']);
  });

  it('keeps the lock held after an error branch that unlocks and returns', () => {
    const fn = fnOf(['static int f(struct d *d)', '{', '\tspin_lock(&d->lock);', '\tif (err) {', '\t\tspin_unlock(&d->lock);', '\t\treturn -EINVAL;', '\t}', '\tsleep_a();', '\tif (x)', '\t\tspin_unlock(&d->lock);', '\tsleep_b();', '}']);
    expect(targets(lockStateAt(fn, indexOf(fn, callTo('sleep_a'))).held)).toEqual(['d->lock']);
    const b = lockStateAt(fn, indexOf(fn, callTo('sleep_b')));
    expect(b.held).toEqual([]);
    expect(targets(b.maybe)).toEqual(['d->lock']);
  });

  it('is unknown without the function start and forgets locks across a gap', () => {
    const noStart = fnOf([' \tx = 1;', '\tsleep_a();'], 'static void f(void)');
    expect(lockStateAt(noStart, indexOf(noStart, callTo('sleep_a')))).toEqual({ held: [], maybe: [], unknown: true });
    const diffFn = fnOf(['static void f(struct d *d)', '{', '\tspin_lock(&d->lock);', '\tsleep_a();']);
    diffFn.facts.push({ kind: 'gap', line: 99, changed: false, depth: 0, conditions: [], text: '' });
    diffFn.facts.push({ kind: 'call', callee: 'sleep_b', args: [], line: 120, changed: true, depth: 0, conditions: [], text: '' });
    const after = lockStateAt(diffFn, diffFn.facts.length - 1);
    expect(after).toMatchObject({ held: [], unknown: true });
  });

  it('honours guard scopes and trylock results', () => {
    const fn = fnOf([
      'static int f(struct d *d)',
      '{',
      '\tif (a) {',
      '\t\tguard(spinlock)(&d->g);',
      '\t\tsleep_a();',
      '\t}',
      '\tsleep_b();',
      '\tif (!mutex_trylock(&d->m))',
      '\t\treturn -EBUSY;',
      '\tsleep_c();',
      '\tif (spin_trylock(&d->t)) {',
      '\t\tsleep_d();',
      '\t}',
      '\tsleep_e();',
      '}',
    ]);
    expect(targets(lockStateAt(fn, indexOf(fn, callTo('sleep_a'))).held)).toEqual(['d->g']);
    expect(lockStateAt(fn, indexOf(fn, callTo('sleep_b'))).held).toEqual([]);
    expect(targets(lockStateAt(fn, indexOf(fn, callTo('sleep_c'))).held)).toEqual(['d->m']);
    expect(targets(lockStateAt(fn, indexOf(fn, callTo('sleep_d'))).held)).toEqual(['d->m', 'd->t']);
    const e = lockStateAt(fn, indexOf(fn, callTo('sleep_e')));
    expect(targets(e.held)).toEqual(['d->m']);
    expect(targets(e.maybe)).toEqual(['d->t']);
  });
});
