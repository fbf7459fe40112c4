// Mailbox series assembly on arbitrary message sequences: never throws, accounts for every
// message, and never places two patches with the same counter in one series.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from '../../bot/mail/mailbox.ts';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import type { Message, Series } from '../../bot/model.ts';
import { corpusSample } from './corpus-sample.ts';
import { FuzzTally, SEED, runs } from './harness.ts';
import { applyAll, mutations } from './mutate.ts';

const tally = new FuzzTally('mailbox');
afterAll(() => void tally.write());

const real: Message[] = [];
beforeAll(async () => {
  for (const s of await corpusSample(200)) {
    const m = await parseMessage({ source: 'fuzz:', locator: s.label, data: s.data }).catch(() => undefined);
    if (m) real.push(m);
  }
});

const SUBJECTS = ['[PATCH] x', '[PATCH 0/3] x', '[PATCH 1/3] x', '[PATCH 2/3] x', '[PATCH 3/3] x', '[PATCH 4/3] x', '[PATCH v2 1/2] x', '[PATCH v2 2/2] x', 'Re: [PATCH 1/3] x', '[RFC 0/0] x', '[PATCH 99999/1] x', 'hello'];
const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];

function synthetic(spec: { id: string; subject: string; parent?: string; refs: string[]; diff: boolean }, i: number): Message {
  const diff = 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n';
  return {
    id: spec.id,
    ...(spec.parent ? { inReplyTo: spec.parent } : {}),
    references: spec.refs,
    from: { name: 'A', address: 'a@example.org' },
    to: [],
    cc: [],
    replyTo: [],
    date: new Date(i * 1000),
    subject: { raw: spec.subject, text: 'x', isReply: spec.subject.startsWith('Re:'), isPatch: spec.subject.includes('PATCH'), revision: spec.subject.includes('v2') ? 2 : 1, counter: Number(/(\d+)\//.exec(spec.subject)?.[1] ?? 1), expected: Number(/\/(\d+)/.exec(spec.subject)?.[1] ?? 1), prefixes: [], rfc: false, resend: false },
    body: `msg ${i}\n---\n${spec.diff ? diff : ''}`,
    headers: new Map(),
    size: 100,
    source: 'fuzz:',
    locator: `#${i}`,
  };
}

function check(series: readonly Series[]): void {
  for (const s of series) {
    const counters = s.patches.map((p) => p.index);
    expect(new Set(counters).size, `series "${s.title}" has a counter twice`).toBe(counters.length);
  }
}

async function assemble(msgs: readonly Message[]): Promise<number> {
  const box = new Mailbox({ idleLimit: 50 });
  let out = 0;
  for (const m of msgs) {
    const done = box.add(m);
    check(done);
    out += done.length;
  }
  const rest = box.flush();
  check(rest);
  expect(box.stats().messages).toBe(msgs.length);
  return out + rest.length;
}

describe('Mailbox under fuzzing', () => {
  it('synthetic sequences with duplicate ids, wrong counters and reply loops', async () => {
    const spec = fc.record({
      id: fc.constantFrom(...IDS),
      subject: fc.constantFrom(...SUBJECTS),
      parent: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
      refs: fc.array(fc.constantFrom(...IDS), { maxLength: 4 }),
      diff: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { maxLength: 40 }), async (specs) => {
        await tally.run(`synthetic x${specs.length}`, () => assemble(specs.map((s, i) => synthetic(s, i))));
      }),
      { numRuns: runs(500), seed: SEED },
    );
  });

  it('real messages, shuffled, repeated and mutated', async () => {
    expect(real.length).toBeGreaterThan(100);
    const pick = fc.array(fc.nat(real.length - 1), { minLength: 1, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(pick, fc.option(mutations, { nil: undefined }), async (picks, ms) => {
        const msgs: Message[] = [];
        for (const i of picks) {
          const m = real[i] as Message;
          if (!ms) msgs.push(m);
          else {
            const data = applyAll(Buffer.from(`Message-ID: <${m.id}>\nSubject: ${m.subject.raw}\n\n${m.body}`), ms);
            const parsed = await parseMessage({ source: 'fuzz:', locator: m.locator, data }).catch(() => undefined);
            if (parsed) msgs.push(parsed);
          }
        }
        await tally.run(`real x${msgs.length}${ms ? ` ${ms.map((x) => x.label).join('+')}` : ''}`, () => assemble(msgs));
      }),
      { numRuns: runs(200), seed: SEED },
    );
  });

  it('a References chain of 10,000 ids', async () => {
    const refs = Array.from({ length: 10_000 }, (_, i) => `r${i}@x`);
    const msgs = [synthetic({ id: 'p1', subject: '[PATCH 1/2] x', refs: [], diff: true }, 0), synthetic({ id: 'p2', subject: '[PATCH 2/2] x', parent: 'p1', refs: [...refs, 'p1'], diff: true }, 1)];
    for (let i = 0; i < 50; i++) msgs.push(synthetic({ id: `re${i}`, subject: 'Re: [PATCH 2/2] x', parent: 'p2', refs: [...refs, 'p1', 'p2'], diff: false }, i + 2));
    expect(await tally.run('references x10000', () => assemble(msgs))).toBeGreaterThan(0);
  });
});
