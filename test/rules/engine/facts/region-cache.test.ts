import { beforeAll, describe, expect, it } from 'vitest';
import { extractFacts, loadCParser } from '../../../../rules/engine/facts/index.ts';
import { RegionFactsCache } from '../../../../rules/engine/facts/region-cache.ts';
import { syntheticSeries } from '../../../../rules/engine/synthetic-series.ts';
import type { FunctionFacts } from '../../../../rules/engine/types.ts';

beforeAll(() => loadCParser());

const body = ['+static void f(struct d *d)', '+{', '+\tguard(mutex)(&d->lock);', '+\tspin_lock(&d->s);', '+\td->n++;', '+\tspin_unlock(&d->s);', '+}'];
function factsAt(start: number, file: string): FunctionFacts[] {
  const hunk = `@@ -${start},0 +${start},${body.length} @@\n${body.join('\n')}\n`;
  const patch = syntheticSeries('t', [`diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n${hunk}`]).patches[0];
  if (!patch) throw new Error('no patch');
  return extractFacts(patch, 1);
}

describe('region facts cache', () => {
  it('gives the same code at another place the same facts, moved to its lines', () => {
    const first = factsAt(10, 'a.c');
    const again = factsAt(110, 'b.c');
    expect(first[0]?.facts.length).toBeGreaterThan(3);
    const moved = (fns: FunctionFacts[], by: number) =>
      fns.map((fn) => ({ ...fn, file: 'x', facts: fn.facts.map((f) => ({ ...f, line: f.line + by, ...(f.kind === 'lock' && f.scopeEndLine ? { scopeEndLine: f.scopeEndLine + by } : {}) })) }));
    expect(moved(again, 0)).toEqual(moved(first, 100));
    expect(again[0]?.facts.find((f) => f.kind === 'lock' && f.primitive.startsWith('guard'))).toMatchObject({ line: 112, scopeEndLine: 116 });
  });

  it('hands out fresh objects and forgets the oldest entries beyond its budget', () => {
    const cache = new RegionFactsCache(100);
    const key = (n: number): string => `k${n}`.padEnd(24, '.');
    const result = { facts: [{ kind: 'return' as const, value: '', line: 5, changed: true, depth: 0, conditions: [], text: 'return;' }], locals: { a: 'int a' } };
    cache.set(key(1), 5, result);
    const hit = cache.get(key(1), 7);
    expect(hit?.facts[0]?.line).toBe(7);
    hit?.facts.push(result.facts[0]!);
    expect(cache.get(key(1), 5)?.facts).toHaveLength(1);
    for (let n = 2; n <= 5; n++) cache.set(key(n), 1, result);
    expect(cache.get(key(1), 1)).toBeUndefined();
    expect(cache.get(key(5), 1)).toBeDefined();
  });
});
