import { beforeAll, describe, expect, it } from 'vitest';
import { defineRule } from '../../../rules/engine/define-rule.ts';
import { cachedFacts } from '../../../rules/engine/facts/cache.ts';
import { extractFacts, loadCParser } from '../../../rules/engine/facts/index.ts';
import { fileSlots } from '../../../rules/engine/facts/function-slots.ts';
import { readsIndex } from '../../../rules/engine/reads.ts';
import { runRules } from '../../../rules/engine/runner.ts';
import { syntheticSeries } from '../../../rules/engine/synthetic-series.ts';
import type { FunctionFacts, Rule } from '../../../rules/engine/types.ts';
import { allRules } from '../../../rules/index.ts';

beforeAll(() => loadCParser());

const diffOf = (file: string, hunks: string): string => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n${hunks}`;

// Three functions in one hunk: only the second mentions frob_*; the third names it in a comment.
const THREE = diffOf(
  'd.c',
  `@@ -1,12 +1,15 @@
 static void alpha(void)
 {
+\tbar(1);
 }
 static void beta(void)
 {
+\tfrob_start(2);
 }
 static void gamma(void)
 {
+\t/* unlike frob_start, no wait */
+\tbaz(3);
 }
`,
);

function seeing(id: string, scope: 'patch' | 'series', reads?: string[]): { rule: Rule; seen: () => string[] } {
  const names: string[] = [];
  const rule = defineRule({
    meta: { id, severity: 'info', description: 'd', messages: { m: 'x' }, triggers: [], scope, ...(reads ? { reads } : {}) },
    check: (ctx) => void names.push(...ctx.functions.map((f) => `${f.patch}:${f.name ?? '-'}`)),
  });
  return { rule, seen: () => names };
}

describe('readsIndex', () => {
  it('matches whole identifiers and trailing-* prefixes in a function\'s text', () => {
    const exact = seeing('t/exact', 'patch', ['frob_start']).rule;
    const prefix = seeing('t/prefix', 'patch', ['frob_*']).rule;
    const index = readsIndex([exact, prefix]);
    const fn = (text: string) => ({ text: () => text });
    expect(index.filterFor(exact)?.fn(fn('x = frob_start(y);'))).toBe(true);
    expect(index.filterFor(exact)?.fn(fn('x = frob_start_now(y);'))).toBe(false);
    expect(index.filterFor(prefix)?.fn(fn('x = frob_start_now(y);'))).toBe(true);
    expect(index.filterFor(prefix)?.fn(fn('x = my_frob_start(y);'))).toBe(false);
    expect(index.filterFor(seeing('t/all', 'patch').rule)).toBeUndefined();
  });

  it('accepts only identifiers, optionally with a trailing *, in the rules\' reads', () => {
    for (const r of allRules) for (const w of r.meta.reads ?? []) expect(w).toMatch(/^[A-Za-z_]\w*\*?$/);
  });
});

describe('runRules with reads', () => {
  it('shows a rule only the functions that mention its words, comments included, in order', async () => {
    const series = syntheticSeries('s', [THREE]);
    const all = seeing('t/all', 'patch');
    const some = seeing('t/some', 'patch', ['frob_*']);
    await runRules(series, [all.rule, some.rule]);
    expect(all.seen()).toEqual(['1:alpha', '1:beta', '1:gamma']);
    expect(some.seen()).toEqual(['1:beta', '1:gamma']);
  });

  it('filters every patch of a series rule', async () => {
    const other = diffOf('e.c', '@@ -1,3 +1,4 @@\n static void delta(void)\n {\n+\tfrob_stop(4);\n }\n');
    const series = syntheticSeries('s', [THREE, other]);
    const r = seeing('t/series', 'series', ['frob_stop']);
    await runRules(series, [r.rule]);
    expect(r.seen()).toEqual(['2:delta']);
  });

  it('matches the hunk header, which names a function a hunk starts inside', async () => {
    const series = syntheticSeries('s', [diffOf('d.c', '@@ -10,2 +10,3 @@ static int frob_begin(struct x *x)\n \tint a;\n+\tb(a);\n')]);
    const r = seeing('t/header', 'patch', ['frob_begin']);
    await runRules(series, [r.rule]);
    expect(r.seen()).toEqual(['1:frob_begin']);
  });
});

describe('function slots', () => {
  it('does not group a file whose text the filter turns down', () => {
    const patch = syntheticSeries('s', [THREE]).patches[0]!;
    const seen: string[] = [];
    const facts = cachedFacts(patch, 1, {
      file: (f) => (seen.push(f.text()), false),
      fn: () => {
        throw new Error('a function of a turned-down file was looked at');
      },
    });
    expect(facts).toEqual([]);
    // The file's text holds every function's text: rows of both images and the hunk header.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('frob_start(2);');
    expect(seen[0]).toContain('static void gamma(void)');
  });


  it('parses only the functions that are read', () => {
    const patch = syntheticSeries('s', [THREE]).patches[0]!;
    const parsed: number[] = [];
    const slots = fileSlots(patch.files[0]!, 'new', { patch: 1, file: 'd.c', image: 'new' }, (_img, reg) => {
      parsed.push(reg.start);
      return { name: null, patch: 1, file: 'd.c', image: 'new', prefixKnown: true, suffixKnown: true, facts: [], locals: {} };
    });
    expect(slots.map((s) => s.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(parsed).toEqual([]);
    slots[1]!.facts();
    expect(parsed).toEqual([4]);
  });

  // Grouping decides some joins on whether a region has facts; the lazy grouping parses exactly
  // those regions and must group as the eager extractor always did (expected values taken from it).
  const shapes: Array<[string, string, string[]]> = [
    [
      'a hunk without facts, then the same function',
      `@@ -10,3 +10,4 @@ static int foo(struct x *x)
 \t/* one */
+\t/* two */
 \t/* three */
@@ -30,2 +31,3 @@ static int foo(struct x *x)
 \ta = 1;
+\tb(a);
`,
      ['foo:assign@31,call@32'],
    ],
    [
      'two hunks of one function',
      `@@ -10,2 +10,3 @@ static int foo(struct x *x)
 \ta = 1;
+\tb(a);
@@ -30,2 +31,3 @@ static int foo(struct x *x)
 \tc = 1;
+\td(c);
`,
      ['foo:assign@10,call@11,gap@12,assign@31,call@32'],
    ],
    [
      'a function without facts between two hunks of foo (dropped, so foo joins)',
      `@@ -10,2 +10,3 @@ static int foo(struct x *x)
 \ta = 1;
+\tb(a);
@@ -20,2 +21,3 @@ static int bar(struct x *x)
 \tint q;
+\tint r;
@@ -30,2 +32,3 @@ static int foo(struct x *x)
 \tc = 1;
+\td(c);
`,
      ['foo:assign@10,call@11,gap@23,assign@32,call@33'],
    ],
  ];
  for (const [name, hunks, expected] of shapes) {
    it(`groups ${name} as the eager extractor did`, () => {
      const patch = syntheticSeries('s', [diffOf('d.c', hunks)]).patches[0]!;
      expect(extractFacts(patch, 1).map(summary)).toEqual(expected);
    });
  }
});

const summary = (f: FunctionFacts): string => `${f.name}:${f.facts.map((x) => `${x.kind}@${x.line}`).join(',')}`;
