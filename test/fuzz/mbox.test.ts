// splitMbox: the messages do not depend on how the stream is chunked, no byte of a message is
// invented, and mutated real mailboxes (and arbitrary bytes) split without throwing.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitMbox, type SplitMessage } from '../../bot/sources/mbox-split.ts';
import { corpusPath } from '../helpers/corpus.ts';
import { FuzzTally, SEED, describe as label, runs } from './harness.ts';
import { applyAll, mutations } from './mutate.ts';

const tally = new FuzzTally('mbox-split');
afterAll(() => void tally.write());

const MAX = 25 * 1024 * 1024;
let mbox: Buffer;
beforeAll(() => {
  mbox = readFileSync(corpusPath('series/cma-dmem-v2.mbox'));
});

async function* chunked(data: Buffer, cuts: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const end = Math.floor(c * data.length);
    if (end > at) yield data.subarray(at, end);
    at = Math.max(at, end);
  }
  if (at < data.length) yield data.subarray(at);
}

async function split(data: Buffer, cuts: readonly number[] = [], max = MAX): Promise<SplitMessage[]> {
  const out: SplitMessage[] = [];
  for await (const m of splitMbox(chunked(data, cuts), max)) out.push(m);
  return out;
}

describe('splitMbox under fuzzing', () => {
  it('chunk boundaries never change the messages', async () => {
    const whole = await split(mbox);
    expect(whole.length).toBeGreaterThan(1);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), async (cuts) => {
        const parts = await tally.run(`cma-dmem-v2 cut x${cuts.length}`, () => split(mbox, cuts));
        expect(parts?.map((m) => m.data.toString('latin1'))).toEqual(whole.map((m) => m.data.toString('latin1')));
      }),
      { numRuns: runs(150), seed: SEED },
    );
  });

  it('mutated mailboxes and arbitrary bytes split without throwing or inventing bytes', async () => {
    const input = fc.oneof(
      mutations.map((ms) => ({ name: ms.map((m) => m.label).join('+'), data: applyAll(mbox, ms) })),
      fc.uint8Array({ maxLength: 4000 }).map((a) => ({ name: 'bytes', data: Buffer.from(a) })),
      fc.array(fc.constantFrom('From a@b Mon Jan  1 00:00:00 2024\n', '>From x\n', 'From \n', 'Subject: x\n', '\n', 'body\r\n', '>>From y\n'), { maxLength: 80 }).map((l) => ({ name: 'lines', data: Buffer.from(l.join('')) })),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }), fc.constantFrom(MAX, 64, 1000), async ({ name, data }, cuts, max) => {
        const parts = await tally.run(`${name} ${label(data)} max=${max}`, () => split(data, cuts, max));
        let bytes = 0;
        for (const m of parts ?? []) {
          bytes += m.data.length;
          if (m.originalSize !== undefined) expect(m.originalSize).toBeGreaterThan(max);
          else expect(m.data.length).toBeLessThanOrEqual(max);
        }
        expect(bytes).toBeLessThanOrEqual(data.length);
      }),
      { numRuns: runs(300), seed: SEED },
    );
  });
});
