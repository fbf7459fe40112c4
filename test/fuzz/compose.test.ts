// The mail composer on reviews of real series with hostile subjects, names, addresses and ids:
// every reply renders, its header block holds only the bot's own headers (nothing in the input
// can add a Bcc or any other header), lines end in CRLF, and envelope addresses are plain.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from '../../bot/mail/mailbox.ts';
import { composeReview } from '../../bot/mail-out/compose.ts';
import { envelopeOf, renderMail } from '../../bot/mail-out/render.ts';
import { resolveMailSettings } from '../../bot/mail-out/settings.ts';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import type { Review, Series } from '../../bot/model.ts';
import type { Finding } from '../../rules/engine/types.ts';
import { openInputs } from '../../bot/sources/open-inputs.ts';
import { corpusPath } from '../helpers/corpus.ts';
import { FuzzTally, SEED, runs } from './harness.ts';
import { headerNames, OWN_HEADERS } from '../hardening/mail-headers.ts';

const tally = new FuzzTally('compose');
afterAll(() => void tally.write());

let series: Series[] = [];
beforeAll(async () => {
  const box = new Mailbox();
  for (const name of ['series/cma-dmem-v2.mbox', 'series/dmabuf-noexec-v1.mbox', 'series/dma-buf-revoke-v7.mbox']) {
    for (const source of openInputs([corpusPath(name)])) {
      for await (const raw of source.messages()) series.push(...box.add(await parseMessage(raw)));
    }
  }
  series.push(...box.flush());
  series = series.filter((s) => s.patches.length > 0);
});

const INJECT = ['\r\nBcc: evil@example.com', '\nBcc: evil@example.com', '\rBcc: x@y', '\u2028Bcc: x@y', '\r\n\r\nbody', '=?utf-8?Q?=0D=0ABcc:_x@y?=', '\u0000', '"<>,;:@\\', 'é\u202e'];
const hostile = fc.tuple(fc.string({ maxLength: 30 }), fc.constantFrom(...INJECT), fc.string({ maxLength: 30 })).map(([a, b, c]) => a + b + c);

function finding(patch: number, message: string): Finding {
  return { ruleId: 'fuzz/rule', severity: 'warning', message, messageId: 'm', patch, file: 'x.c', line: 1 };
}

function hostileReview(base: Series, subject: string, name: string, address: string, id: string, refs: number): Review {
  const patches = base.patches.map((p) => {
    const message = { ...p.message, id: `${id}${p.index}`, references: Array.from({ length: refs }, (_, i) => `r${i}${id}`), from: { name, address }, subject: { ...p.message.subject, raw: subject }, headers: new Map(p.message.headers) };
    message.cc = [{ name, address: `${address}x` }];
    return { ...p, message, author: { name, address } };
  });
  return { series: { ...base, title: subject, patches }, findings: patches.map((p) => finding(p.index, `${subject} ${name}`)), ruleErrors: [], notes: [subject], rulesetVersion: 'fuzz' };
}

describe('mail composer under fuzzing', () => {
  const settings = resolveMailSettings(undefined, {}, {});

  it('hostile subjects, names, addresses and ids never add a header', async () => {
    expect(series.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.nat(), hostile, hostile, fc.oneof(hostile, fc.constant('a@example.org')), hostile, fc.constantFrom(0, 3, 10_000), async (pick, subject, name, address, id, refs) => {
        const review = hostileReview(series[pick % series.length] as Series, subject, name, address, id, refs);
        const mails = await tally.run(`subject ${JSON.stringify(subject)} refs ${refs}`, () => composeReview(review, { ...settings.compose, now: new Date(0) }));
        expect(mails?.length).toBeGreaterThan(0);
        for (const mail of mails ?? []) {
          const raw = renderMail(mail, 'fuzz');
          const names = headerNames(raw);
          for (const n of names) expect(OWN_HEADERS.has(n), `unexpected header ${n}`).toBe(true);
          expect(names.filter((n) => n === 'subject')).toHaveLength(1);
          expect(mail.references.length).toBeLessThanOrEqual(settings.compose.maxReferences);
          for (const a of [envelopeOf(mail).from, ...envelopeOf(mail).to]) expect(a).not.toMatch(/[\s<>,;"\x00-\x1f]/);
        }
      }),
      { numRuns: runs(300), seed: SEED },
    );
  });
});
