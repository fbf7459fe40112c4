// Review -> the mails a careful reviewer would send: one reply per patch with findings, and a
// summary reply to the cover letter when configured (or when there are findings about the cover
// letter itself). Pure: the same review and options give the same mails, Message-IDs included.
import type { Address, Message, Patch, Review } from '../model.ts';
import type { Finding } from '../../rules/engine/types.ts';
import { sortedFindings } from '../reporters/document.ts';
import { coverSummaryBody, patchReplyBody } from './body.ts';
import { deterministicMessageId, replyReferences, replySubject, threadRoot } from './headers.ts';
import { domainOf } from './patterns.ts';
import { replyRecipients } from './recipients.ts';
import type { RecipientPolicy } from './recipients.ts';
import type { OutgoingMail } from './types.ts';

export type CoverSummary = 'off' | 'findings' | 'always';

export interface ComposeOptions {
  from: Address;
  version: string;
  /** The Date header of new mails. */
  now: Date;
  coverSummary: CoverSummary;
  quoteContext: number;
  maxReferences: number;
  policy: RecipientPolicy;
}

/** What defines a mail's content, canonically: its id is a hash of this. */
function findingKey(f: Finding): string {
  const related = (f.related ?? []).map((r) => `${r.label}@${r.patch}:${r.file ?? ''}:${r.line ?? ''}`).join(',');
  return [f.ruleId, f.severity, f.patch, f.file ?? '', f.line ?? '', f.side ?? '', f.message, related].join('\u0001');
}

function mailBase(review: Review, parent: Message, kind: OutgoingMail['kind'], patch: number, findings: readonly Finding[], opts: ComposeOptions) {
  const domain = domainOf(opts.from.address) || 'localhost';
  return {
    messageId: deterministicMessageId(domain, [kind, review.series.key, parent.id, review.rulesetVersion, ...findings.map(findingKey)]),
    kind,
    patch,
    parent,
    seriesKey: review.series.key,
    thread: threadRoot(parent),
    from: opts.from,
    subject: replySubject(parent),
    inReplyTo: parent.id,
    references: replyReferences(parent, opts.maxReferences),
    date: opts.now,
    findings: findings.length,
  };
}

/** The commit's author when someone else sent the patch: a reviewer copies them too. */
function commitAuthor(p: Patch): Address[] {
  return p.author.address && p.author.address.toLowerCase() !== p.message.from.address.toLowerCase() ? [p.author] : [];
}

export function composeReview(review: Review, opts: ComposeOptions): OutgoingMail[] {
  const { series } = review;
  const findings = sortedFindings(review);
  const mails: OutgoingMail[] = [];
  const first = [...series.patches].sort((a, b) => a.index - b.index)[0];
  const coverFindings = findings.filter((f) => f.patch === 0 || !series.patches.some((p) => p.index === f.patch));
  // Findings about the cover letter go to the first patch when there is no cover letter to answer.
  const orphans = series.cover ? [] : coverFindings;
  for (const p of [...series.patches].sort((a, b) => a.index - b.index)) {
    const own = [...findings.filter((f) => f.patch === p.index), ...(p === first ? orphans : [])];
    if (own.length === 0) continue;
    const base = mailBase(review, p.message, 'patch', p.index, own, opts);
    const { to, cc } = replyRecipients(p.message, commitAuthor(p), opts.policy, opts.from);
    mails.push({ ...base, to, cc, text: patchReplyBody(review, p, own, opts) });
  }
  const cover = series.cover;
  const wantSummary =
    opts.coverSummary === 'always' || (opts.coverSummary === 'findings' && findings.length > 0) || (series.cover && coverFindings.length > 0);
  if (cover && wantSummary) {
    // The summary's content depends on every finding of the series, so its id does too.
    const base = mailBase(review, cover, 'cover', 0, findings, opts);
    const { to, cc } = replyRecipients(cover, [], opts.policy, opts.from);
    mails.push({ ...base, findings: coverFindings.length, to, cc, text: coverSummaryBody(review, cover, coverFindings, opts) });
  }
  return mails;
}
