// Issue 8, parsing half: real messages mutated (truncated, bytes flipped, lines duplicated, charset
// swapped) and arbitrary message sequences never crash the input half: each gives a Message or a
// one-line InputError, toPatch never throws, and the Mailbox accounts for every message.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../bot/errors.ts';
import { Mailbox } from '../../../bot/mail/mailbox.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { toPatch } from '../../../bot/mail/patch.ts';
import type { Message } from '../../../bot/model.ts';
import { openInputs } from '../../../bot/sources/open-inputs.ts';
import { corpusPath } from '../../helpers/corpus.ts';
import { mailText, patchBody, raw } from '../../helpers/mail-fixtures.ts';

let samples: Buffer[] = [];

beforeAll(async () => {
  for (const source of openInputs([corpusPath('series/cma-dmem-v2.mbox'), corpusPath('series/dmabuf-noexec-v1.mbox')])) {
    for await (const m of source.messages()) samples.push(m.data);
  }
  samples = samples.slice(0, 4);
});

type Mutation = (data: Buffer) => Buffer;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((f) => (d: Buffer) => d.subarray(0, Math.floor(d.length * f))),
  fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map(
    (flips) => (d: Buffer) => {
      const copy = Buffer.from(d);
      for (const [at, byte] of flips) copy[Math.floor(at * (copy.length - 1))] = byte;
      return copy;
    },
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 50 })).map(([at, times]) => (d: Buffer) => {
    const lines = d.toString('latin1').split('\n');
    const i = Math.floor(at * (lines.length - 1));
    lines.splice(i, 0, ...Array<string>(times).fill(lines[i] ?? ''));
    return Buffer.from(lines.join('\n'), 'latin1');
  }),
  fc.constantFrom('iso-8859-1', 'koi8-r', 'shift_jis', 'utf-7', 'x-bogus', '').map(
    (cs) => (d: Buffer) => Buffer.from(d.toString('latin1').replace(/charset="?[\w-]+"?/gi, `charset="${cs}"`), 'latin1'),
  ),
);

async function parseOrError(data: Buffer): Promise<Message | null> {
  try {
    return await parseMessage(raw(data));
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).not.toContain('\n');
    return null;
  }
}

describe('hostile input', () => {
  it('mutated real messages give a message or a one-line error', async () => {
    expect(samples.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (pick, mutations) => {
        let data = samples[pick % samples.length]!;
        for (const m of mutations) data = m(data);
        const msg = await parseOrError(data);
        if (!msg) return;
        const patch = toPatch(msg);
        expect(patch.files.length === 0 || patch.mangled === undefined).toBe(true);
        const box = new Mailbox();
        box.add(msg);
        box.flush();
        expect(box.stats().messages).toBe(1);
      }),
      { numRuns: 400 },
    );
  });

  it('the Mailbox accounts for every message of any sequence', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const subjects = ['[PATCH] x', '[PATCH 0/2] x', '[PATCH 1/2] x', '[PATCH 2/2] x', '[PATCH v2 1/2] x', 'Re: [PATCH 1/2] x', 'hello', '[PATCH 3/2] x'];
    const spec = fc.record({
      id: fc.constantFrom(...ids),
      subject: fc.constantFrom(...subjects),
      inReplyTo: fc.option(fc.constantFrom(...ids), { nil: undefined }),
      body: fc.constantFrom(patchBody(), 'text\n', ''),
    });
    const templates = new Map<string, Message>();
    for (const subject of subjects) for (const body of [patchBody(), 'text\n', '']) {
      templates.set(`${subject}|${body}`, await parseMessage(raw(mailText({ subject, body }))));
    }
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 40 }), fc.integer({ min: 1, max: 10 }), (specs, idleLimit) => {
        const box = new Mailbox({ idleLimit, maxFollowUps: 2 });
        let emitted = 0;
        for (const s of specs) {
          const base = templates.get(`${s.subject}|${s.body}`)!;
          emitted += box.add({ ...base, id: s.id, inReplyTo: s.inReplyTo, references: s.inReplyTo ? [s.inReplyTo] : [] }).length;
        }
        emitted += box.flush().length;
        const st = box.stats();
        const skipped = Object.values(st.skipped).reduce((a, b) => a + b, 0);
        expect(st.patches + st.covers + st.followUps + skipped).toBe(specs.length);
        expect(emitted).toBe(st.series);
      }),
      { numRuns: 1000 },
    );
  });

  it('handles megabyte-long adversarial header and body lines', async () => {
    const long = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    const headers = {
      References: long('<a@b> '),
      'In-Reply-To': long('<'),
      'X-Change-ID': long('x'),
      Cc: long('"a" <'),
      'Content-Type': `text/plain; ${long('a=b; ')}`,
    };
    const body = `${long('[')}\n---\n@@ -1,1 +1,1 @@ ${long('@')}\nbase-commit: ${long('0')}\n`;
    const msg = await parseOrError(Buffer.from(mailText({ subject: long('Re: ['), date: long('('), headers, body })));
    expect(msg).not.toBeNull();
    expect(msg!.date.getTime()).toBe(0);
    expect(msg!.references.length).toBeLessThanOrEqual(1000);
    expect(Array.isArray(msg!.cc)).toBe(true);
    expect(toPatch(msg!).files).toEqual([]);
  });
});
