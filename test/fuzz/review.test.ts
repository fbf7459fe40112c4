// The whole review of one message (parse -> series assembly -> every rule -> text and JSON
// report) on mutated real patches: a report or a one-line InputError, no rule crash, no hang.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from '../../bot/mail/mailbox.ts';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import type { Review } from '../../bot/model.ts';
import { formatJson } from '../../bot/reporters/format-json.ts';
import { formatText } from '../../bot/reporters/format-text.ts';
import { emptySummary } from '../../bot/run-summary.ts';
import { reviewSeries } from '../../rules/engine/review.ts';
import { allRules } from '../../rules/index.ts';
import { corpusSample, type Sample } from './corpus-sample.ts';
import { FuzzTally, SEED, runs } from './harness.ts';
import { applyAll, mutations } from './mutate.ts';

const tally = new FuzzTally('review');
afterAll(() => void tally.write());

let patches: Sample[] = [];
beforeAll(async () => {
  patches = (await corpusSample(200)).filter((s) => s.data.includes('\ndiff --git '));
});

/** Rule crashes seen, by rule id, with one example (a crash is isolated but is still a bug). */
const crashes = new Map<string, string>();

async function reviewOne(data: Buffer, label: string): Promise<Review[]> {
  const msg = await parseMessage({ source: 'fuzz:', locator: label, data });
  const box = new Mailbox();
  const series = [...box.add(msg), ...box.flush()];
  const reviews: Review[] = [];
  for (const s of series) {
    const r = await reviewSeries(s, { rules: allRules });
    for (const e of r.ruleErrors) if (e.kind === 'crash' && !crashes.has(e.ruleId)) crashes.set(e.ruleId, `${label}: ${e.message}`);
    reviews.push(r);
  }
  const doc = { tool: { name: 'deptbot', version: 'fuzz' }, reviews, problems: [], summary: emptySummary(), rules: [] };
  expect(typeof formatText(doc, { color: false })).toBe('string');
  expect(() => JSON.parse(formatJson(doc, { color: false }))).not.toThrow();
  return reviews;
}

describe('review of one message under fuzzing', () => {
  it('mutated real patches give a report or a one-line InputError', async () => {
    expect(patches.length).toBeGreaterThan(50);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.option(mutations, { nil: undefined, freq: 4 }), async (pick, ms) => {
        const s = patches[pick % patches.length] as Sample;
        const data = ms ? applyAll(s.data, ms) : s.data;
        await tally.run(`${s.label}${ms ? ` ${ms.map((m) => m.label).join('+')}` : ''}`, () => reviewOne(data, s.label));
      }),
      { numRuns: runs(250), seed: SEED },
    );
    expect(Object.fromEntries(crashes)).toEqual({});
  });
});
