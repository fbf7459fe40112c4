// diffSizeBounds lets the patch size limits pass a patch without parsing its diff: the bounds must
// never be below what parseUnifiedDiff yields, and a limit check on bounds must decide as the
// check on parsed files does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileChange, Patch } from '../../../bot/model.ts';
import { diffSizeBounds, parseUnifiedDiff } from '../../../bot/mail/diff.ts';
import { unparsedBounds } from '../../../bot/mail/lazy-files.ts';
import { toPatch } from '../../../bot/mail/patch.ts';
import { DEFAULT_LIMITS, patchOverLimit } from '../../../bot/security/limits.ts';
import { patchBody, tinyDiff } from '../../helpers/mail-fixtures.ts';
import { message, subject } from '../../helpers/review-fixtures.ts';

function exact(files: readonly FileChange[]): { files: number; hunks: number; lines: number } {
  const hunks = files.flatMap((f) => f.hunks);
  return { files: files.length, hunks: hunks.length, lines: hunks.reduce((n, h) => n + h.lines.length, 0) };
}

const soupLine = fc.oneof(
  fc.constantFrom('diff --git a/x b/x', '--- a/x', '+++ b/x', '--- /dev/null', '+++ /dev/null', '@@ -1 +1 @@', '@@ -1,2 +1,2 @@ f', '@@ -0,0 +1,3 @@', '\\ No newline at end of file', 'Binary files a/x and b/y differ', 'rename from a', 'rename to b', '+', '-', ' ', ''),
  fc.tuple(fc.constantFrom('+', '-', ' ', '@@', '--- ', '+++ ', 'diff --git '), fc.string({ maxLength: 20 })).map(([a, b]) => a + b),
);

describe('diffSizeBounds', () => {
  it('is never below the parse, on diff-line soup with either line end', () => {
    fc.assert(
      fc.property(fc.array(soupLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol);
        const bound = diffSizeBounds(text.split('\n'));
        const got = exact(parseUnifiedDiff(text));
        expect(bound.files).toBeGreaterThanOrEqual(got.files);
        expect(bound.hunks).toBeGreaterThanOrEqual(got.hunks);
        expect(bound.lines).toBeGreaterThanOrEqual(got.lines);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('counts a range of lines only', () => {
    const lines = ['x', 'diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1 +1 @@', '-a', '+b', '-- ', '2.43'];
    expect(diffSizeBounds(lines, 1, 7)).toEqual({ files: 2, hunks: 1, lines: 6 });
    expect(diffSizeBounds(lines, 3, 3)).toEqual({ files: 0, hunks: 0, lines: 0 });
  });
});

describe('patchOverLimit on a patch not parsed yet', () => {
  const body = patchBody('m', tinyDiff('a();', 'x.c') + tinyDiff('b();', 'y.c'));
  const lazy = (): Patch => toPatch(message('x@test', subject('[PATCH] x'), body));
  const eager = (): Patch => ({ ...lazy() });

  it('decides as on parsed files, on either side of every limit', () => {
    // Parsed: 2 files, 2 hunks, 8 lines; bounds: 4 files, 2 hunks, 18 lines.
    for (const [key, values] of [
      ['maxFilesPerPatch', [1, 2, 3, 4, 5]],
      ['maxHunksPerPatch', [1, 2, 3]],
      ['maxLinesPerPatch', [7, 8, 9, 18, 19]],
    ] as const) {
      for (const value of values) {
        const limits = { ...DEFAULT_LIMITS, [key]: value };
        expect(patchOverLimit(lazy(), limits), `${key}=${value}`).toBe(patchOverLimit(eager(), limits));
      }
    }
  });

  it('does not parse a patch well within the limits', () => {
    const p = lazy();
    expect(patchOverLimit(p, DEFAULT_LIMITS)).toBeUndefined();
    expect(unparsedBounds(p)).toBeDefined();
  });

  it('decides as on parsed files for generated diffs under tight limits', () => {
    fc.assert(
      fc.property(fc.array(soupLine, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), (lines, small, lineLimit) => {
        const p = (): Patch => toPatch(message('x@test', subject('[PATCH] x'), `m\n---\n${lines.join('\n')}\n`));
        const limits = { ...DEFAULT_LIMITS, maxFilesPerPatch: small, maxHunksPerPatch: small, maxLinesPerPatch: lineLimit };
        expect(patchOverLimit(p(), limits)).toBe(patchOverLimit({ ...p() }, limits));
      }),
      { numRuns: 500, seed: 13 },
    );
  });
});
