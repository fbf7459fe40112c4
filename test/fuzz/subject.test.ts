// parseSubject on arbitrary text, bracket soup and 100k-character subjects: never throws, stays
// within its invariants, and reads back the tags of a subject it could have been given.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSubject } from '../../bot/mail/subject.ts';
import { FuzzTally, SEED, describe as label, runs } from './harness.ts';

const tally = new FuzzTally('subject');
afterAll(() => void tally.write());

const soup = fc.array(fc.constantFrom('[', ']', 'PATCH', 'v', '2', '/', ' ', 'Re:', 'RFC', 'RESEND', ',', 'net-next', '\t', '\u202e', 'é', '0'), { maxLength: 60 }).map((a) => a.join(''));

describe('parseSubject under fuzzing', () => {
  it('any string gives a subject within its invariants', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), soup), async (s) => {
        const subject = await tally.run(label(s), () => parseSubject(s));
        expect(subject).toBeDefined();
        if (!subject) return;
        expect(subject.raw).toBe(s);
        expect(subject.revision).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(subject.counter) && subject.counter >= 0).toBe(true);
        expect(Number.isInteger(subject.expected) && subject.expected >= 0).toBe(true);
        expect(subject.text).not.toMatch(/^\s|\s$/);
      }),
      { numRuns: runs(3000), seed: SEED },
    );
  });

  it('reads back the tags of a generated patch subject', async () => {
    const title = fc.stringMatching(/^[a-z][a-z0-9 :_-]{0,40}[a-z0-9]$/).filter((t) => !/^(re|aw|fwd?|antw|sv|wg|odp)\s*:/i.test(t));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.nat(99), fc.boolean(), title, async (rev, expected, n, reply, t) => {
        const counter = Math.min(n, expected);
        const s = `${reply ? 'Re: ' : ''}[PATCH v${rev} ${counter}/${expected}] ${t}`;
        const subject = await tally.run(label(s), () => parseSubject(s));
        expect(subject).toMatchObject({ isPatch: true, isReply: reply, revision: rev, counter, expected, text: t.replace(/\s+/g, ' ') });
      }),
      { numRuns: runs(500), seed: SEED },
    );
  });

  it('100k-character hostile subjects', async () => {
    const hostile = ['['.repeat(100_000), '[PATCH '.repeat(15_000), 'Re: '.repeat(25_000), `${' '.repeat(100_000)}x`, `[${'a '.repeat(50_000)}]`, `${'[x]'.repeat(33_000)}[`];
    for (const s of hostile) expect(await tally.run(label(s), () => parseSubject(s))).toBeDefined();
  });
});
