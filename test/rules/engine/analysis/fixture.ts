// Facts of one added function, for the analysis tests.
import { extractFacts, loadCParser } from '../../../../rules/engine/facts/index.ts';
import { syntheticSeries } from '../../../../rules/engine/synthetic-series.ts';
import type { Fact, FunctionFacts } from '../../../../rules/engine/types.ts';

export { loadCParser };

/** Facts of the post-image function of a hunk; `body` lines are added unless they start with ' '. */
export function fnOf(body: string[], header = '', start = 10): FunctionFacts {
  const lines = body.map((l) => (l.startsWith(' ') || l.startsWith('+') ? l : `+${l}`));
  const diff = `diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -${start},1 +${start},1 @@ ${header}\n${lines.join('\n')}\n`;
  const fn = extractFacts(syntheticSeries('t', [diff]).patches[0]!, 1).find((f) => f.image === 'new');
  if (!fn) throw new Error('no function');
  return fn;
}

/** Index of the first fact matching. */
export function indexOf(fn: FunctionFacts, p: (f: Fact) => boolean): number {
  const i = fn.facts.findIndex(p);
  if (i < 0) throw new Error('fact not found');
  return i;
}

export const callTo = (name: string) => (f: Fact) => f.kind === 'call' && f.callee === name;
