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

const THOROUGH = process.env.FUZZ_RUNS !== undefined && Number(process.env.FUZZ_RUNS) > 100;

/**
 * Quadratic patterns in files whose owners are still at work, each with the input that reaches it.
 * They are left out of the sweep and probed in the it.skip cases below; remove an entry once fixed.
 */
const KNOWN: Record<string, string> = {
  // [perf] fact extraction on one added line of 100k letters or blanks.
  'rules/engine/facts/lexical-calls.ts /([A-Za-z_]\\w*(?:\\s*(?:->|\\.)\\s*[A-Za-z_]\\w*)*)\\s*\\(/': 'added line of 100k letters',
  'rules/engine/facts/regions.ts /\\}\\s*;?\\s*$/': 'added line "}" + 100k blanks',
  'rules/engine/facts/regions.ts /([A-Za-z_]\\w*)\\(/': 'added line of 100k letters',
  'rules/engine/facts/text.ts /\\s*(->|\\.)\\s*/': 'added line of 100k blanks',
  'rules/engine/facts/text.ts /\\s+\\)/': 'added line of 100k blanks',
  // New, untracked file of a rule author still at work (refcount): an lvalue of 100k letters.
  'rules/engine/analysis/refcount-kref-release.ts /(\\w+)\\s*$/': 'assignment target of 100k letters; fix as revoke-sequence.ts flagName: /(?<!\\w)(\\w+)\\s*$/',
};

/**
 * Once quadratic, fixed in place: the new forms must be there (one shared helper for the B4 Relay
 * suffix) and finish on the inputs that used to hang them.
 */
const FIXED: Record<string, string> = {
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
