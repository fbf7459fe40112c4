// `--format email`: the replies the mail bot would send for these reviews, as an mboxrd stream.
// A dry run: nothing is sent, no recipient policy is applied (the configured allowlist applies when
// `deptbot watch` sends). Pure: the Date of every mail is the latest date among the reviewed
// messages, so the same input prints the same mails.
import type { Formatter } from './document.ts';
import { composeReview } from '../mail-out/compose.ts';
import { mboxrdEntry, renderMail } from '../mail-out/render.ts';
import { resolveMailSettings } from '../mail-out/settings.ts';

export const formatEmail: Formatter = (doc) => {
  const settings = resolveMailSettings(undefined, {}, {});
  const out: string[] = [];
  for (const review of doc.reviews) {
    const dates = [review.series.cover, ...review.series.patches.map((p) => p.message)].map((m) => m?.date.getTime() ?? 0);
    const now = new Date(Math.max(0, ...dates));
    for (const mail of composeReview(review, { ...settings.compose, version: doc.tool.version, now })) {
      out.push(mboxrdEntry(renderMail(mail, doc.tool.version), mail.from.address, now));
    }
  }
  return out.join('');
};
