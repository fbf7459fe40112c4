// A series crosses to a review worker (and back, slim) as diff spans and raw address headers: what
// arrives must equal what was sent once read, and sending must parse nothing on the sending side.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message, Series } from '../../bot/model.ts';
import { copyMessage, unreadLists } from '../../bot/mail/lazy-addresses.ts';
import { Mailbox } from '../../bot/mail/mailbox.ts';
import { unparsedBounds } from '../../bot/mail/lazy-files.ts';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import { fromWire, toWire } from '../../bot/series-wire.ts';
import { slimSeries } from '../../bot/slim-review.ts';
import { defaultSources } from '../../bot/wiring.ts';
import { corpusPath } from '../helpers/corpus.ts';
import { mailText, raw } from '../helpers/mail-fixtures.ts';
import { finding, review, series as fixtureSeries } from '../helpers/review-fixtures.ts';

const across = (s: Series): Series => fromWire(structuredClone(toWire(s)));
const messagesOf = (s: Series): Message[] => [...(s.cover ? [s.cover] : []), ...s.patches.map((p) => p.message), ...s.followUps];

/** The seed series straight from series assembly: nothing read yet (a pipeline run reads files). */
async function freshSeries(): Promise<Series[]> {
  const dir = corpusPath('series');
  const box = new Mailbox();
  const out: Series[] = [];
  for (const source of defaultSources.open(readdirSync(dir).filter((f) => f.endsWith('.mbox')).map((f) => join(dir, f)))) {
    for await (const r of source.messages()) out.push(...box.add(await parseMessage(r)));
  }
  return [...out, ...box.flush()];
}

let seeds: Series[] = [];
beforeAll(async () => {
  seeds = await freshSeries();
}, 60_000);

describe('toWire / fromWire', () => {
  it('parses no diff and no address list on the sending side', () => {
    let unread = 0;
    for (const s of seeds) {
      toWire(s);
      for (const p of s.patches) if (!p.mangled) expect(unparsedBounds(p)).toBeDefined();
      for (const m of messagesOf(s)) {
        if (m.headers.get('to')) expect(unreadLists(m)?.to).toBe(m.headers.get('to'));
        if (unreadLists(m)) unread++;
      }
    }
    expect(unread).toBeGreaterThan(50);
  });

  it('gives back every seed series as it was, files and address lists included', () => {
    expect(seeds.length).toBeGreaterThan(5);
    for (const s of seeds) {
      const back = across(s);
      expect(back).toEqual(s);
      expect(Object.keys(back)).toEqual(Object.keys(s));
      back.patches.forEach((p, i) => expect(Object.keys(p)).toEqual(Object.keys(s.patches[i] ?? {})));
      messagesOf(back).forEach((m, i) => expect(Object.keys(m)).toEqual(Object.keys(messagesOf(s)[i] ?? {})));
    }
  });

  it('gives back the slim form as slimming the series here gives it', () => {
    for (const s of seeds) {
      const findings = s.patches.slice(0, 1).map((p) => finding({ ruleId: 'x/y', patch: p.index }));
      expect(across(slimSeries(s, findings))).toEqual(structuredClone(slimSeries(s, findings)));
    }
  });

  it('sends hand-built patches (plain files) as they are', () => {
    const s = fixtureSeries({ title: 'demo', expected: 2, cover: true });
    expect(across(s)).toEqual(s);
    expect(slimSeries(across(s), review(s).findings)).toEqual(slimSeries(s, []));
  });
});

describe('copyMessage', () => {
  const text = mailText({ subject: '[PATCH] x', headers: { Cc: 'A <a@example.org>, "B, C" <b@example.org>', 'Reply-To': 'r@example.org' }, body: 'b' });

  it('leaves unread lists unread, and they read as the original ones', async () => {
    const original = await parseMessage(raw(text));
    const copy = copyMessage(original, { body: '' });
    expect(Object.keys(unreadLists(copy) ?? {}).sort()).toEqual(['cc', 'replyTo', 'to']);
    expect(unreadLists(original)).toEqual(unreadLists(copy));
    expect(copy.body).toBe('');
    const fresh = await parseMessage(raw(text));
    expect(copy.cc).toEqual(fresh.cc);
    expect(copy.to).toEqual(fresh.to);
    expect(copy.replyTo).toEqual(fresh.replyTo);
    expect(copy).toEqual({ ...fresh, body: '' });
    expect(unreadLists(original)).toBeDefined();
  });

  it('copies read lists as they are, and takes a list from the changes', async () => {
    const original = await parseMessage(raw(text));
    void original.cc;
    const copy = copyMessage(original, { to: [{ name: '', address: 'x@example.org' }] });
    expect(Object.keys(unreadLists(copy) ?? {})).toEqual(['replyTo']);
    expect(copy.to).toEqual([{ name: '', address: 'x@example.org' }]);
    expect(copy.cc).toBe(original.cc);
  });
});
