import { readFileSync } from 'node:fs';
import { splitMbox } from './bot/sources/mbox-split.ts';
import { parseMessage } from './bot/mail/parse-message.ts';
import { Mailbox } from './bot/mail/mailbox.ts';
import { reviewSeries } from './rules/engine/review.ts';
import { allRules } from './rules/index.ts';
import { composeReview } from './bot/mail-out/compose.ts';
import { renderMail } from './bot/mail-out/render.ts';
import { resolveMailSettings } from './bot/mail-out/settings.ts';
import { Readable } from 'node:stream';
const file = process.argv[2]!;
const mb = new Mailbox();
const series = [];
for await (const m of splitMbox(Readable.from([readFileSync(file)]), 1e8)) {
  series.push(...mb.add(await parseMessage({ source: file, locator: '#', data: m.data })));
}
series.push(...mb.flush());
const s = resolveMailSettings(undefined, {}, {});
for (const se of series) {
  const r = await reviewSeries(se, { rules: allRules });
  for (const mail of composeReview(r, { ...s.compose, coverSummary: 'findings', now: new Date('2026-03-01T00:00:00Z') })) {
    console.log(renderMail(mail, '0.1.0').toString().replace(/\r\n/g, '\n'));
    console.log('=========');
  }
}
