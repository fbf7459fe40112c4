// Shapes of real and hostile hunks the parse used to get wrong: a hunk that starts inside a block
// comment, and code nested deeper than the walk follows.
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFacts, loadCParser } from '../../../../rules/engine/facts/index.ts';
import { syntheticSeries } from '../../../../rules/engine/synthetic-series.ts';
import type { FunctionFacts } from '../../../../rules/engine/types.ts';

beforeAll(() => loadCParser());

function facts(hunk: string): FunctionFacts[] {
  const patch = syntheticSeries('t', [`diff --git a/d.c b/d.c\n--- a/d.c\n+++ b/d.c\n${hunk}`]).patches[0];
  if (!patch) throw new Error('no patch');
  return extractFacts(patch, 1);
}
const kinds = (fn: FunctionFacts | undefined): string[] => (fn?.facts ?? []).map((f) => `${f.line} ${f.kind} ${f.text}`);

describe('a hunk that starts inside a block comment', () => {
  it('keeps the statements after the comment, with clean texts', () => {
    const [fn] = facts(`@@ -60,9 +60,10 @@ static int map_pages(struct umem *u)
 	 * the exporter's fence (see
 	 * dma_resv_wait_timeout() below) is what we wait for
 	 */
 	ret = dma_resv_wait_timeout(u->resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);
 	if (ret < 0)
 		return ret;
+	u->mapped = true;
 	return 0;
 }
`);
    expect(kinds(fn)).toEqual([
      '63 call ret = dma_resv_wait_timeout(u->resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);',
      '63 wait ret = dma_resv_wait_timeout(u->resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);',
      '63 assign ret = dma_resv_wait_timeout(u->resv, DMA_RESV_USAGE_KERNEL, false, MAX_SCHEDULE_TIMEOUT);',
      '65 return return ret;',
      '66 assign u->mapped = true;',
      '67 return return 0;',
    ]);
  });

  it('reads no facts out of the comment prose', () => {
    const all = facts(`@@ -10,6 +10,7 @@ static void f(struct x *d)
 	 * Callers must not hold mutex_lock(&d->lock); and may
 	 * return early.
 	 */
 	spin_lock(&d->s);
+	d->n++;
 	spin_unlock(&d->s);
`).flatMap((fn) => fn.facts);
    expect(all.filter((f) => f.kind === 'lock').map((f) => (f.kind === 'lock' ? `${f.line} ${f.op} ${f.target}` : ''))).toEqual(['13 acquire d->s', '15 release d->s']);
    expect(all.some((f) => f.kind === 'return')).toBe(false);
  });

  it('leaves code that only starts with "*" alone', () => {
    const [fn] = facts(`@@ -10,4 +10,5 @@ static void f(int *p)
 	*p = 1;
+	*p += g(p); /* counted */
 	h(p);
 }
`);
    expect(kinds(fn)).toEqual(['10 assign *p = 1;', '11 call *p += g(p);', '11 assign *p += g(p);', '12 call h(p);']);
  });
});

describe('code nested deeper than the walk follows', () => {
  it('becomes one gap; the facts before it stay', () => {
    const deep = `${'if (a) '.repeat(20_000)}x = g();`;
    const [fn] = facts(`@@ -1,3 +1,5 @@ int f(void)
 {
 	mutex_lock(&m);
+	${deep}
+	mutex_unlock(&m);
 }
`);
    const list = fn?.facts ?? [];
    expect(list.slice(0, 2).map((f) => f.kind)).toEqual(['call', 'lock']);
    expect(list.filter((f) => f.kind === 'gap').map((f) => f.line)).toEqual([3]);
    expect(list.some((f) => f.kind === 'assign' && f.lhs === 'x')).toBe(false);
    expect(list.slice(-2).map((f) => `${f.line} ${f.kind}`)).toEqual(['4 call', '4 lock']);
  });
});
