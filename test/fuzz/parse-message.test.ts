// parseMessage (MIME) on mutated real messages and arbitrary bytes: a Message or a one-line
// InputError naming the input, never another throw, never a hang.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import type { RawMessage } from '../../bot/model.ts';
import { corpusSample, type Sample } from './corpus-sample.ts';
import { FuzzTally, SEED, describe as label, runs } from './harness.ts';
import { applyAll, mutations } from './mutate.ts';

const tally = new FuzzTally('parse-message');
afterAll(() => void tally.write());

let samples: Sample[] = [];
beforeAll(async () => {
  samples = await corpusSample(200);
});

function raw(data: Buffer, locator: string): RawMessage {
  return { source: 'fuzz:', locator, data };
}

const MIME_PARTS = [
  'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n--b--\n',
  'Content-Type: multipart/alternative; boundary=""\n\n----\n',
  'Content-Type: text/html\n\n<html><body><p>only html</p><script>x</script></body></html>\n',
  'Content-Transfer-Encoding: base64\n\n!!!!not base64====\n',
  'Content-Transfer-Encoding: quoted-printable\n\n=ZZ=0=\n',
  'Subject: =?utf-8?B?////?= =?x-bogus?Q?=FF?=\n\nbody\n',
  `Content-Type: multipart/mixed; boundary="${'b'.repeat(5000)}"\n\n`,
  'Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=a\n\n--a\n--a--\n',
];

describe('parseMessage under fuzzing', () => {
  it('every real message of the sample parses', async () => {
    expect(samples.length).toBeGreaterThanOrEqual(150);
    for (const s of samples) {
      const msg = await tally.run(s.label, () => parseMessage(raw(s.data, s.label)));
      expect(msg?.id).toBeTruthy();
    }
  });

  it('mutated real messages give a Message or a one-line InputError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, async (pick, ms) => {
        const s = samples[pick % samples.length] as Sample;
        const data = applyAll(s.data, ms);
        await tally.run(`${s.label} ${ms.map((m) => m.label).join('+')}`, () => parseMessage(raw(data, s.label)));
      }),
      { numRuns: runs(600), seed: SEED },
    );
  });

  it('arbitrary bytes and broken MIME give a Message or a one-line InputError', async () => {
    const header = fc.array(fc.constantFrom('From: a <a@b>\n', 'Message-ID: <x@y>\n', 'References: <<<>>>\n', 'Subject: [PATCH] x\n', 'In-Reply-To: \n', 'Date: Thu, 99 Foo 99999\n', 'X: \t\n'), { maxLength: 6 });
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
      fc.tuple(header, fc.constantFrom(...MIME_PARTS), fc.string({ maxLength: 200 })).map(([h, mime, tail]) => Buffer.from(`${h.join('')}${mime}${tail}`)),
    );
    await fc.assert(
      fc.asyncProperty(input, async (data) => {
        await tally.run(label(data), () => parseMessage(raw(data, '#x')));
      }),
      { numRuns: runs(600), seed: SEED },
    );
  });
});
