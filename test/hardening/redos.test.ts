// Catastrophic backtracking: every regular-expression literal in bot/, rules/ and config/ runs on
// long adversarial lines (100k characters, see regex-attack.ts) in a worker, and must finish
// within the hang limit. Dynamic patterns (new RegExp) are built from identifiers or fixed word
// lists (reviewed by hand; listed in SECURITY.md) and are tested through their rules' inputs.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { repoRoot } from '../helpers/corpus.ts';
import { probeRegexes, type RegexVerdict } from './regex-attack.ts';
import { regexLiterals, type RegexSite } from './regex-inventory.ts';
import { SEED, runs } from '../fuzz/harness.ts';
import { definitionOf } from '../../rules/engine/analysis/cma-resolve.ts';
import { normExpr } from '../../rules/engine/analysis/c-expr.ts';
import type { FunctionFacts } from '../../rules/engine/types.ts';

const THOROUGH = process.env.FUZZ_RUNS !== undefined && Number(process.env.FUZZ_RUNS) > 100;

/**
 * Quadratic patterns in files whose owners are still at work, each with the input that reaches it.
 * They are left out of the sweep and probed in the it.skip cases below; remove an entry once fixed.
 */
const KNOWN: Record<string, string> = {};

/**
 * Once quadratic, fixed in place: the new forms must be there (one shared helper for the B4 Relay
 * suffix) and finish on the inputs that used to hang them.
 */
const FIXED: Record<string, string> = {
  'rules/engine/facts/lexical-calls.ts /(?=[A-Za-z_])(?<!\\w)(?<!\\w\\s*(?:->|\\.)\\s*)([A-Za-z_]\\w*(?:\\s*(?:->|\\.)\\s*[A-Za-z_]\\w*)*)\\s*\\(/': 'added line of 100k letters or ".a"',
  'rules/engine/facts/regions.ts /\\}\\s*(?:;\\s*)?$/': 'added line "}" + 100k blanks',
  'rules/engine/facts/regions.ts /(?<!\\w)([A-Za-z_]\\w*)\\(/': 'added line of 100k letters',
  'rules/engine/facts/text.ts /(?:(?<!\\s)\\s+)?(->|\\.)\\s*/': 'added line of 100k blanks',
  'rules/engine/facts/text.ts /(?<!\\s)\\s+\\)/': 'added line of 100k blanks',
  'rules/engine/analysis/refcount-kref-release.ts /(?<!\\w)(\\w+)\\s*$/': 'parameter of 100k letters',
  'bot/mail-out/recipients.ts /(?<!\\s)\\s+via B4 Relay$/': 'From name of 100k blanks',
  'bot/mail-out/headers.ts /<([^.<>]+)(?:\\.[^<>]*)?>/': 'List-Id of 100k "<"',
};

/** Bounded by their callers (the input is cut before the pattern runs). */
const BOUNDED: Record<string, string> = {
  'bot/mail/parse-message.ts /\\s*\\([^)]*\\)\\s*$/': 'parseDate: value.slice(0, 200) first',
  'bot/watch/review-id.ts /-+$/': 'slug: runs of "-" collapsed and cut to 48 characters first',
};

const key = (s: RegexSite): string => `${s.at.replace(/:\d+$/, '')} /${s.source}/`;
const sites = regexLiterals(repoRoot, ['bot', 'rules', 'config']);
const verdicts: RegexVerdict[] = [];

afterAll(() => {
  const worst = [...verdicts].sort((a, b) => b.worstMs - a.worstMs)[0];
  console.log(`[redos] ${verdicts.length} patterns, ${verdicts.reduce((n, v) => n + v.attacks, 0)} attacks; slowest ${worst?.at} ${Math.round(worst?.worstMs ?? 0)} ms`);
});

describe('regular expressions on 100k-character adversarial lines', () => {
  it('the inventory finds the literals', () => {
    expect(sites.length).toBeGreaterThan(200);
  });

  it('every literal outside the known list finishes within the hang limit', async () => {
    const sweep = sites.filter((s) => !(key(s) in KNOWN) && !(key(s) in BOUNDED));
    verdicts.push(...(await probeRegexes(sweep, { thorough: THOROUGH })));
    const stalled = verdicts.filter((v) => v.stalled !== undefined).map((v) => `${v.at} /${v.source}/: ${v.stalled}`);
    expect(stalled).toEqual([]);
  }, 300_000);

  for (const [site, input] of Object.entries(FIXED)) {
    it(`${site} on 100k-character lines (${input})`, async () => {
      const matching = sites.filter((s) => key(s) === site);
      expect(matching).toHaveLength(1);
      const found = await probeRegexes(matching);
      expect(found.filter((v) => v.stalled !== undefined).map((v) => v.at)).toEqual([]);
    }, 60_000);
  }

  it('the B4 Relay suffix is stripped in one place only', () => {
    expect(sites.filter((s) => s.source.includes('via B4 Relay$') && s.source.startsWith('(?<!')).map((s) => s.at.replace(/:\d+$/, ''))).toEqual(['bot/mail-out/recipients.ts']);
    expect(sites.filter((s) => /^\\s\+via B4 Relay/.test(s.source))).toEqual([]);
  });

  // SKIPPED until their owners fix them (see KNOWN for the file and the input that reaches each).
  // Fix pattern: start the match only where the run starts, e.g. /(?<!\s)\s+via B4 Relay$/, or trim
  // with a loop; un-skip then and delete the KNOWN entry.
  for (const [site, input] of Object.entries(KNOWN)) {
    it.skip(`${site} on 100k-character lines (${input})`, async () => {
      const matching = sites.filter((s) => key(s) === site);
      const found = await probeRegexes(matching);
      expect(found.filter((v) => v.stalled !== undefined).map((v) => v.at)).toEqual([]);
    });
  }
});

describe('the patterns fixed here mean what they meant', () => {
  // The old forms, kept only to compare: the new ones must give the same result on short inputs.
  const pairs: Array<[string, RegExp, RegExp, (m: RegExpExecArray | null) => unknown]> = [
    ['github client base URL', /\/+$/, /(?<!\/)\/+$/, (m) => m?.index],
    ['github header text', /\s*\n\s*/g, /(?<![^\S\n])[^\S\n]*\n\s*/g, (m) => m && [m.index, m[0]]],
    ['c-expr paramNames', /(\w+)\s*(?:\[[^\]]*\])*\s*$/, /(?<!\w)(\w+)(?:\s*\[[^\][]*\])*\s*$/, (m) => m?.[1]],
    ['revoke-sequence flagName', /(\w+)\s*$/, /(?<!\w)(\w+)\s*$/, (m) => m?.[1]],
    ['revoke-sequence memberOf', /([A-Za-z_]\w*)\s*\)?\s*$/, /(?<!\w)\d*([A-Za-z_]\w*)\s*(?:\)\s*)?$/, (m) => m?.[1]],
  ];
  const text = fc.array(fc.constantFrom('a', 'b', '_', '0', '9', ' ', '\t', '\n', '/', '[', ']', '2', ')', '(', '-', '>', '*', '.'), { maxLength: 24 }).map((a) => a.join(''));

  it.each(pairs)('%s', (_name, before, after, pick) => {
    fc.assert(
      fc.property(text, (s) => {
        if (before.global) expect(s.replace(before, ' ')).toBe(s.replace(after, ' '));
        else expect(pick(after.exec(s))).toEqual(pick(before.exec(s)));
      }),
      { numRuns: runs(3000), seed: SEED },
    );
  });
});

describe('the C-facts patterns fixed here mean what they meant', () => {
  // Old and new forms of the callee scans; they differ only where a word starts with a digit
  // ("0x1f(", "1.f("), which is not a call, so such inputs are left out.
  const pairs: Array<[string, RegExp, RegExp]> = [
    ['lexical-calls callee', /([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)\s*\(/g, /(?=[A-Za-z_])(?<!\w)(?<!\w\s*(?:->|\.)\s*)([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)\s*\(/g],
    ['regions functionNameOf', /([A-Za-z_]\w*)\(/g, /(?<!\w)([A-Za-z_]\w*)\(/g],
    ['text normCode member', /\s*(->|\.)\s*/g, /(?:(?<!\s)\s+)?(->|\.)\s*/g],
    ['text normCode close paren', /\s+\)/g, /(?<!\s)\s+\)/g],
    ['regions one-line body end', /\}\s*;?\s*$/, /\}\s*(?:;\s*)?$/],
    ['refcount kref parameter', /(\w+)\s*$/, /(?<!\w)(\w+)\s*$/],
  ];
  const token = fc.constantFrom('a', 'b1', '_x', 'f', '0', '42', ' ', '  ', '\t', '\n', '(', ')', '->', '.', '-', '>', '*', '&', ',', ';', '{', '}', '[', ']', '=', 'if', 'x->y', 'p.q');
  const code = fc.array(token, { maxLength: 16 }).map((a) => a.join('')).filter((s) => !/(?<!\w)\d\w*\s*(?:\(|->|\.|[A-Za-z_])/.test(s));
  const all = (re: RegExp, s: string): string[][] => (re.global ? [...s.matchAll(re)].map((m) => [String(m.index), ...m]) : [[...(re.exec(s) ?? [])].map(String)]);

  it.each(pairs)('%s', (_name, before, after) => {
    fc.assert(
      fc.property(code, (s) => {
        expect(all(after, s)).toEqual(all(before, s));
      }),
      { numRuns: runs(3000), seed: SEED },
    );
  });

  // cma-resolve read a declaration's initializer with /\bname\s*=\s*([^;]+?)\s*;?\s*$/, cubic on
  // a run of blanks (500 blanks took 30 s); it now scans.
  const fnWith = (decl: string): FunctionFacts => ({ name: 'f', patch: 1, file: 'd.c', image: 'new', prefixKnown: true, suffixKnown: true, facts: [], locals: { x: decl } });
  const oldInit = (decl: string): string | undefined => {
    const init = /\bx\s*=\s*([^;]+?)\s*;?\s*$/.exec(decl)?.[1];
    return init ? normExpr(init) : undefined;
  };

  it('cma-resolve reads the initializer as before', () => {
    const decl = fc.array(fc.constantFrom('x', 'y', 'x ', ' ', '  ', '=', ' = ', ';', 'a', '(', ')', '_', 'PAGE_ALIGN(len)', '\t', 'size_t '), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(decl, (d) => {
        expect(definitionOf(fnWith(d), 'x', 10)).toBe(oldInit(d));
      }),
      { numRuns: runs(3000), seed: SEED },
    );
    expect(definitionOf(fnWith('size_t x = PAGE_ALIGN(len);'), 'x', 10)).toBe('PAGE_ALIGN(len)');
  });

  it.each([
    ['x = ' + ' '.repeat(100_000) + ';a', undefined],
    ['x='.repeat(50_000) + ';a', undefined],
    ['x = ' + 'a '.repeat(50_000) + ' ;  ', normExpr('a '.repeat(50_000))],
  ])('cma-resolve on a 100k-character declaration (%#)', (d, want) => {
    const got = definitionOf(fnWith(d), 'x', 10);
    expect(got).toBe(want);
  });
});
