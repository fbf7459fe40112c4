// parseUnifiedDiff on generated diffs (read back exactly), diff-line soup and hostile paths: never
// throws, and a path never keeps a control character.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../bot/mail/diff.ts';
import { FuzzTally, SEED, describe as label, runs } from './harness.ts';

const tally = new FuzzTally('diff');
afterAll(() => void tally.write());

const lineText = fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' '));
const hunkLines = fc.array(fc.tuple(fc.constantFrom('+', '-', ' '), lineText), { minLength: 1, maxLength: 20 });
const path = fc.stringMatching(/^[a-z][a-z0-9_/.-]{0,30}\.[ch]$/);

interface GenFile {
  path: string;
  hunks: Array<Array<[string, string]>>;
}

function render(files: readonly GenFile[]): string {
  const out: string[] = [];
  for (const f of files) {
    out.push(`diff --git a/${f.path} b/${f.path}`, 'index 1111111..2222222 100644', `--- a/${f.path}`, `+++ b/${f.path}`);
    let old = 1;
    for (const h of f.hunks) {
      const o = h.filter(([t]) => t !== '+').length;
      const n = h.filter(([t]) => t !== '-').length;
      out.push(`@@ -${old},${o} +${old},${n} @@ fn()`);
      for (const [t, text] of h) out.push(`${t}${text}`);
      old += o + 10;
    }
  }
  return `${out.join('\n')}\n`;
}

describe('parseUnifiedDiff under fuzzing', () => {
  it('reads a generated diff back exactly', async () => {
    const files = fc.array(fc.record({ path, hunks: fc.array(hunkLines, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(files, async (gen) => {
        const text = render(gen);
        const parsed = await tally.run(label(text), () => parseUnifiedDiff(text));
        expect(parsed?.length).toBe(gen.length);
        parsed?.forEach((f, i) => {
          const g = gen[i] as GenFile;
          expect(f.path).toBe(g.path);
          expect(f.hunks.map((h) => h.lines.map((l) => [l.type === 'add' ? '+' : l.type === 'del' ? '-' : ' ', l.text]))).toEqual(g.hunks);
        });
      }),
      { numRuns: runs(400), seed: SEED },
    );
  });

  it('diff-line soup never throws and paths carry no control characters', async () => {
    const soup = fc.array(
      fc.oneof(
        fc.constantFrom('diff --git a/x b/x', '--- a/x', '+++ b/x', '--- /dev/null', '+++ /dev/null', '@@ -1 +1 @@', '@@ -1,99999999 +1,0 @@', '@@ -0,0 +1,3 @@ x', 'rename from "a\\001b"', 'rename to ../../etc/passwd', 'new file mode 100644', 'deleted file mode 100755', 'Binary files a/x and b/y differ', 'GIT binary patch', '\\ No newline at end of file', 'diff --git "a/\\033[31mred" "b/\\r\\nx"', 'diff --git a/a b b/a b', '+', '-', ' ', ''),
        fc.tuple(fc.constantFrom('+', '-', ' ', '@@ -', '--- ', '+++ ', 'diff --git '), fc.string({ unit: 'binary', maxLength: 40 })).map(([a, b]) => a + b),
      ),
      { maxLength: 60 },
    );
    await fc.assert(
      fc.asyncProperty(soup, async (lines) => {
        const text = lines.join('\n');
        const parsed = await tally.run(label(text), () => parseUnifiedDiff(text));
        for (const f of parsed ?? []) {
          for (const p of [f.path, f.oldPath ?? '', f.newPath ?? '']) expect(p).not.toMatch(/[\x00-\x1f\x7f]/);
        }
      }),
      { numRuns: runs(800), seed: SEED },
    );
  });

  it('100k-character hostile lines', async () => {
    const long = (s: string): string => s.repeat(Math.ceil(100_000 / s.length));
    const inputs = [
      `diff --git a/${long('a')} b/${long('b')}\n`,
      `--- ${long('\t')}\n+++ ${long(' ')}\n@@ -1 +1 @@\n+x\n`,
      `diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@ ${long('@')}\n-${long('(')}\n+${long(' ')}\n`,
      `diff --git "${long('\\\\001')}" "b/x"\n`,
      long('@@ -1 +1 @@\n'),
      long('diff --git a/x b/x\n'),
    ];
    for (const text of inputs) await tally.run(label(text), () => parseUnifiedDiff(text));
  });
});
