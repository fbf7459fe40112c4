import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubject } from '../../../bot/mail/subject.ts';

describe('parseSubject', () => {
  const cases: Array<[string, Partial<ReturnType<typeof parseSubject>>]> = [
    ['[PATCH] dma-buf: fix it', { isPatch: true, isReply: false, revision: 1, counter: 1, expected: 1, text: 'dma-buf: fix it' }],
    ['[PATCH v3 2/5] mm: x', { isPatch: true, revision: 3, counter: 2, expected: 5, text: 'mm: x' }],
    ['[PATCHv3] mm: x', { isPatch: true, revision: 3, counter: 1, expected: 1 }],
    ['[RFC PATCH] mm: x', { isPatch: true, rfc: true, revision: 1 }],
    ['[PATCH RFC v2 03/12] dma: y', { isPatch: true, rfc: true, revision: 2, counter: 3, expected: 12 }],
    ['[PATCH RESEND] x', { isPatch: true, resend: true }],
    ['[PATCH net-next v2 1/4] net: z', { isPatch: true, revision: 2, counter: 1, expected: 4, prefixes: ['net-next'] }],
    ['[PATCH v18 00/42] DEPT(DEPendency Tracker)', { isPatch: true, counter: 0, expected: 42, revision: 18, text: 'DEPT(DEPendency Tracker)' }],
    ['[PATCH 0/3] cover', { counter: 0, expected: 3 }],
    ['[Linaro-mm-sig] [PATCH v7 3/8] dma-buf: Always build', { isPatch: true, revision: 7, counter: 3, expected: 8, prefixes: [], text: 'dma-buf: Always build' }],
    ['[PATCH] [RFC] two groups', { isPatch: true, rfc: true, text: 'two groups' }],
    ['[PATCH 2/5 v3] order', { revision: 3, counter: 2, expected: 5 }],
    ['[PATCH V4 1/2] upper-case V', { revision: 4 }],
    ['[PATCH [v2] 1/2] nested', { revision: 2, counter: 1, expected: 2, text: 'nested' }],
  ];
  it.each(cases)('%s', (subject, want) => {
    expect(parseSubject(subject)).toMatchObject(want);
  });

  it.each([
    ['Re: [PATCH v3 2/5] mm: x'],
    ['RE: [PATCH] x'],
    ['Aw: [PATCH] x'],
    ['AW: [PATCH] x'],
    ['Fwd: [PATCH] x'],
    ['Fw: [PATCH] x'],
    ['Antw: [PATCH] x'],
    ['Re: Re: Re: [PATCH] x'],
    ['[Linaro-mm-sig] Re: [PATCH v2 1/2] x'],
    ['Re[2]: [PATCH] x'],
  ])('%s is a reply', (subject) => {
    const s = parseSubject(subject);
    expect(s.isReply).toBe(true);
    expect(s.isPatch).toBe(true);
  });

  it('keeps the title of a reply without tags', () => {
    expect(parseSubject('Re: Re: locking question')).toMatchObject({ isReply: true, isPatch: false, text: 'locking question' });
  });

  it.each([['dma-buf: a question'], ['[Linaro-mm-sig] Announcement'], ['Fix: not a prefix'], ['[ANNOUNCE] v6.1'], ['']])(
    '%s is no patch',
    (subject) => {
      const s = parseSubject(subject);
      expect(s.isPatch).toBe(false);
      expect(s.isReply).toBe(false);
      expect(s.counter).toBe(0);
    },
  );

  it('does not read a title word as a tag', () => {
    expect(parseSubject('[PATCH] fix v2 handling of 1/2 widths')).toMatchObject({ revision: 1, counter: 1, expected: 1 });
  });

  it('unfolds a folded subject', () => {
    expect(parseSubject('[PATCH v2 1/2]\n  dma-buf:\tfix').text).toBe('dma-buf: fix');
  });

  it('stays linear on 100k-character adversarial subjects', () => {
    const hostile = [
      'Re: '.repeat(25_000),
      '['.repeat(100_000),
      '[PATCH '.repeat(15_000),
      `${'[a]'.repeat(33_000)} x`,
      `[${'v1 '.repeat(33_000)}]`,
      `Re:${' '.repeat(100_000)}x`,
      `[${' '.repeat(100_000)}`,
    ];
    for (const s of hostile) {
      const r = parseSubject(s);
      expect(typeof r.text).toBe('string');
    }
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseSubject(s);
        expect(r.counter).toBeGreaterThanOrEqual(0);
        expect(r.revision).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});
