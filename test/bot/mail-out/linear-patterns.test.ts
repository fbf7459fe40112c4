// The B4 Relay suffix and the List-Id name, rewritten to stay linear on hostile input (see
// test/hardening/redos.test.ts), still give what the old patterns gave on ordinary input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listName } from '../../../bot/mail-out/headers.ts';
import { withoutRelaySuffix } from '../../../bot/mail-out/recipients.ts';
import { SEED, runs } from '../../fuzz/harness.ts';

const text = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 20 }).map((a) => a.join(''));

describe('linear forms of the mail patterns', () => {
  it('withoutRelaySuffix strips exactly what /\\s+via B4 Relay$/i stripped', () => {
    const name = fc.tuple(text(['a', 'B', ' ', '\t', 'v']), fc.constantFrom('', ' via B4 Relay', '  via b4 relay', 'via B4 Relay', ' \t via B4 Relay', ' via B4 Relay '));
    fc.assert(
      fc.property(name, ([head, tail]) => {
        const s = head + tail;
        expect(withoutRelaySuffix(s)).toBe(s.replace(/\s+via B4 Relay$/i, ''));
      }),
      { numRuns: runs(2000), seed: SEED },
    );
  });

  it('listName reads the same name as before when the id has no stray "<"', () => {
    const id = fc.tuple(text(['"', 'F', ' ', 'x']), text(['a', '-', '_', '.', 'l']), fc.constantFrom('>', '', '> x'));
    fc.assert(
      fc.property(id, ([label, inner, close]) => {
        const v = `${label}<${inner}${close}`;
        const before = (/<([^.>]+)[^>]*>/.exec(v) ?? /^\s*([^\s.<>"]+)\./.exec(v))?.[1]?.toLowerCase();
        expect(listName(v)).toBe(before);
      }),
      { numRuns: runs(2000), seed: SEED },
    );
  });

  it('examples', () => {
    expect(withoutRelaySuffix('Jane Doe via B4 Relay')).toBe('Jane Doe');
    expect(withoutRelaySuffix(' '.repeat(100_000))).toBe(' '.repeat(100_000));
    expect(listName('"Linaro MM SIG" <linaro-mm-sig.lists.linaro.org>')).toBe('linaro-mm-sig');
    expect(listName('<'.repeat(100_000))).toBeUndefined();
  });
});
