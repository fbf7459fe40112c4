// extractFacts (tree-sitter C facts) on mutated real patches and generated C-like hunks: never
// throws, never hangs, and every fact points at a line of its own file.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import { toPatch } from '../../bot/mail/patch.ts';
import { extractFacts, isCFile, loadCParser } from '../../rules/engine/facts/index.ts';
import { corpusSample } from './corpus-sample.ts';
import { FuzzTally, SEED, describe as label, runs } from './harness.ts';
import { applyAll, mutations } from './mutate.ts';

const tally = new FuzzTally('facts');
afterAll(() => void tally.write());

let patches: Array<{ label: string; data: Buffer }> = [];
beforeAll(async () => {
  await loadCParser();
  for (const s of await corpusSample(200)) {
    const msg = await parseMessage({ source: 'fuzz:', locator: s.label, data: s.data }).catch(() => undefined);
    if (msg && toPatch(msg).files.some(isCFile)) patches.push(s);
  }
  patches = patches.slice(0, 120);
});

async function factsOf(data: Buffer, name: string): Promise<number> {
  const msg = await parseMessage({ source: 'fuzz:', locator: name, data });
  const patch = toPatch(msg);
  const facts = extractFacts(patch, 1);
  for (const fn of facts) expect(patch.files.some((f) => f.path === fn.file)).toBe(true);
  return facts.length;
}

const C_TOKENS = ['{', '}', '(', ')', ';', 'if (x)', 'else', 'mutex_lock(&a);', 'mutex_unlock(&a);', 'spin_lock_irqsave(&l, f);', 'wait_for_completion(&c);', 'goto out;', 'out:', 'return -EINVAL;', 'static int f(void)', '#define X(a) a', '#if 0', '#endif', '/*', '*/', '"', "'", '\\', 'do {', '} while (0);', 'switch (x) {', 'case 1:', 'x = y->z;', 'guard(mutex)(&m);', 'scoped_guard(spinlock, &l) {'];

/** A mail with one C hunk of the given lines, each marked by the kinds in turn. */
function cHunkMail(lines: readonly string[], kinds: readonly string[]): string {
  const body = lines.map((l, i) => `${kinds[i % kinds.length]}${l}`).join('\n');
  const o = lines.filter((_, i) => kinds[i % kinds.length] !== '+').length;
  const n = lines.filter((_, i) => kinds[i % kinds.length] !== '-').length;
  return `From: a <a@b>\nSubject: [PATCH] x\nMessage-ID: <g@x>\n\nx\n---\ndiff --git a/d.c b/d.c\n--- a/d.c\n+++ b/d.c\n@@ -10,${o} +10,${n} @@ static int f(void)\n${body}\n`;
}

describe('extractFacts under fuzzing', () => {
  it('mutated real C patches', async () => {
    expect(patches.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, async (pick, ms) => {
        const s = patches[pick % patches.length] as (typeof patches)[number];
        const data = applyAll(s.data, ms);
        await tally.run(`${s.label} ${ms.map((m) => m.label).join('+')}`, () => factsOf(data, s.label));
      }),
      { numRuns: runs(300), seed: SEED },
    );
  });

  it('generated C-like hunks', async () => {
    const lines = fc.array(fc.oneof(fc.constantFrom(...C_TOKENS), fc.array(fc.constantFrom(...C_TOKENS), { maxLength: 5 }).map((t) => t.join(' '))), { minLength: 1, maxLength: 60 });
    const kinds = fc.array(fc.constantFrom('+', '-', ' '), { minLength: 1, maxLength: 7 });
    await fc.assert(
      fc.asyncProperty(lines, kinds, async (l, k) => {
        const text = cHunkMail(l, k);
        await tally.run(label(l.join('|')), () => factsOf(Buffer.from(text), '#gen'));
      }),
      { numRuns: runs(400), seed: SEED },
    );
  });

  // Deeply nested or very long expressions: the fact walker must not recurse per token.
  const hostileLine = (fill: string): Buffer =>
    Buffer.from(`From: a <a@b>\nSubject: [PATCH] x\nMessage-ID: <h@x>\n\nx\n---\ndiff --git a/d.c b/d.c\n--- a/d.c\n+++ b/d.c\n@@ -1,1 +1,2 @@ int f(void)\n {\n+${fill.repeat(Math.ceil(100_000 / fill.length))}\n`);

  it.each(['(', 'a', ' ', '->', '"', '[', '-', 'do ', 'else '])('100k-character line of %j', async (fill) => {
    await tally.run(`line of ${JSON.stringify(fill)} x 100k`, () => factsOf(hostileLine(fill), '#long'));
  });

  // One added line nested 100k levels deep: the walk stops at a fixed depth and records the rest
  // as a gap instead of exhausting the stack (see test/rules/engine/facts/hostile-shapes.test.ts).
  it.each(['{', '{ ', 'x = ', '!', '*', 'if (x) ', 'x->y.', '/*', 'f('])('100k-character line of %j (deep nesting)', async (fill) => {
    await tally.run(`line of ${JSON.stringify(fill)} x 100k`, () => factsOf(hostileLine(fill), '#deep'));
  });
});
