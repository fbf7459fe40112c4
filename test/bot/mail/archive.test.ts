// The whole list archive (12,099 messages, 175 MB uncompressed) streamed through the input half:
// every message ends in a series, as a follow-up, or skipped with a counted reason. Run time and
// peak RSS are printed for the record, never asserted (speed is for `npm run bench`).
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../../bot/errors.ts';
import { Mailbox } from '../../../bot/mail/mailbox.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { openInputs } from '../../../bot/sources/open-inputs.ts';
import { corpusPath } from '../../helpers/corpus.ts';

describe('linaro-mm-sig archive', () => {
  it('accounts for all 12,099 messages', { timeout: 300_000 }, async () => {
    const started = performance.now();
    let peakRss = process.memoryUsage().rss;
    const box = new Mailbox();
    let read = 0;
    let series = 0;
    const problems: string[] = [];
    for (const source of openInputs([corpusPath('linaro-mm-sig-2019-2026q1.mbox.gz')])) {
      for await (const raw of source.messages()) {
        read++;
        if (read % 100 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        try {
          series += box.add(await parseMessage(raw)).length;
        } catch (err) {
          problems.push(oneLine(err));
          box.skip('unparseable');
        }
      }
    }
    series += box.flush().length;
    const st = box.stats();
    const skipped = Object.values(st.skipped).reduce((a, b) => a + b, 0);
    expect(read).toBe(12_099);
    expect(st.messages).toBe(12_099);
    expect(st.patches + st.covers + st.followUps + skipped).toBe(12_099);
    expect(series).toBe(st.series);
    console.info(
      JSON.stringify({ seconds: Math.round(performance.now() - started) / 1000, peakRssMB: Math.round(peakRss / 1e6), problems, ...st }),
    );
  });
});
