// A Review as one GitHub pull request review: inline comments where a finding has a line in the
// PR diff, file-level comments where it has only a file, and a summary body that lists the rest.
// Pure: the placements (computed from the PR diff) come in, the text to post goes out. Hidden
// markers let the bot find its own review again: which head it reviewed and a digest of what it
// said, so an unchanged re-run posts nothing.
import { createHash } from 'node:crypto';
import type { Review } from '../model.ts';
import type { Finding, RelatedLocation, Severity } from '../../rules/engine/types.ts';
import type { Placement } from '../github/anchor.ts';

export const REVIEW_MARKER = '<!-- deptbot:review -->';
const HEAD_MARKER = /<!-- deptbot:head ([0-9a-f]{7,64}) -->/;
const DIGEST_MARKER = /<!-- deptbot:digest ([0-9a-f]+) -->/;
const SUPERSEDED_MARKER = '<!-- deptbot:superseded -->';

export interface GithubReviewComment {
  path: string;
  body: string;
  /** Absent for a file-level comment. */
  line?: number;
  side?: 'RIGHT';
}

export interface GithubReviewDraft {
  headSha: string;
  body: string;
  comments: GithubReviewComment[];
  /** Digest of body and comments; equal digests mean an unchanged review. */
  digest: string;
}

const severityWord: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

function commitLabel(review: Review, patch: number): string {
  if (patch === 0) return 'cover letter';
  const p = review.series.patches.find((x) => x.index === patch);
  const title = p?.message.subject.text;
  return `commit ${patch}/${review.series.expected}${title ? ` "${title}"` : ''}`;
}

function relatedLine(review: Review, r: RelatedLocation): string {
  const where = r.file ? `\`${r.file}${r.line ? `:${r.line}` : ''}\`` : commitLabel(review, r.patch);
  return `- ${r.label}: ${where} (${commitLabel(review, r.patch)})`;
}

/** The text of one finding, shared by inline comments and the body's list. */
function findingText(review: Review, f: Finding): string {
  const lines = [`**${severityWord[f.severity]}** \`${f.ruleId}\`: ${f.message}`, '', `Introduced in ${commitLabel(review, f.patch)}.`];
  if (f.related && f.related.length > 0) lines.push('', ...f.related.map((r) => relatedLine(review, r)));
  return lines.join('\n');
}

function countLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.';
  const parts = (['error', 'warning', 'info'] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`);
  return `**${findings.length} finding${findings.length === 1 ? '' : 's'}**: ${parts.join(', ')}.`;
}

function digestOf(body: string, comments: readonly GithubReviewComment[]): string {
  const h = createHash('sha256').update(body);
  for (const c of comments) h.update(`\0${c.path}\0${c.line ?? ''}\0${c.body}`);
  return h.digest('hex').slice(0, 16);
}

export function formatGithubReview(review: Review, placements: readonly Placement[], headSha: string): GithubReviewDraft {
  const comments: GithubReviewComment[] = [];
  const inBody: string[] = [];
  review.findings.forEach((f, i) => {
    const place = placements[i] ?? { kind: 'summary', reason: 'not placed' };
    const text = findingText(review, f);
    if (place.kind === 'line') comments.push({ path: place.path, line: place.line, side: 'RIGHT', body: text });
    else if (place.kind === 'file') comments.push({ path: place.path, body: `${text}\n\n_On the file: ${place.reason}._` });
    else inBody.push(`${text}\n\n_Not in the diff: ${place.reason}._`);
  });
  const series = review.series;
  const lines = [
    `### deptbot review`,
    '',
    `${countLine(review.findings)} Reviewed ${series.patches.length} commit${series.patches.length === 1 ? '' : 's'} up to ${headSha.slice(0, 12)} (rules ${review.rulesetVersion}).`,
  ];
  if (comments.length === 1) lines.push('', 'One of them is posted as a comment on the diff.');
  else if (comments.length > 1) lines.push('', `${comments.length} of them are posted as comments on the diff.`);
  if (inBody.length > 0) lines.push('', '#### Findings outside the diff', '', inBody.join('\n\n---\n\n'));
  const notes = [...series.notes, ...review.notes, ...review.ruleErrors.map((e) => `rule ${e.ruleId} did not finish (${e.kind}): ${e.message}`)];
  if (notes.length > 0) lines.push('', '#### Notes', '', ...notes.map((n) => `- ${n}`));
  const text = lines.join('\n');
  const digest = digestOf(text, comments);
  const body = `${text}\n\n${REVIEW_MARKER}\n<!-- deptbot:head ${headSha} -->\n<!-- deptbot:digest ${digest} -->\n`;
  return { headSha, body, comments, digest };
}

/** The body again, with comments GitHub refused to anchor listed in it. */
export function withUnanchored(body: string, refused: readonly GithubReviewComment[]): string {
  if (refused.length === 0) return body;
  const at = body.indexOf(REVIEW_MARKER);
  const section = ['#### Comments GitHub could not anchor', '', ...refused.map((c) => `\`${c.path}${c.line ? `:${c.line}` : ''}\`\n\n${c.body}`)].join('\n\n');
  return `${body.slice(0, at).trimEnd()}\n\n${section}\n\n${body.slice(at)}`;
}

/** What the bot leaves of a review once a newer head was reviewed. */
export function supersededBody(body: string, newHead: string): string {
  const head = HEAD_MARKER.exec(body)?.[1] ?? 'an earlier head';
  return `deptbot reviewed ${head.slice(0, 12)} here; see its review of ${newHead.slice(0, 12)} for the current findings.\n\n${REVIEW_MARKER}\n<!-- deptbot:head ${head} -->\n${SUPERSEDED_MARKER}\n`;
}

export interface ReviewMarkers {
  ours: boolean;
  head?: string;
  digest?: string;
  superseded: boolean;
}

export function readMarkers(body: string): ReviewMarkers {
  return {
    ours: body.includes(REVIEW_MARKER),
    head: HEAD_MARKER.exec(body)?.[1],
    digest: DIGEST_MARKER.exec(body)?.[1],
    superseded: body.includes(SUPERSEDED_MARKER),
  };
}

/** The draft as Markdown a person reads: for --dry-run and the README example. */
export function renderDraft(draft: GithubReviewDraft): string {
  const out = [`## Review body (commit ${draft.headSha})`, '', draft.body.trimEnd()];
  for (const c of draft.comments) {
    out.push('', `## Comment on \`${c.path}\`${c.line ? ` line ${c.line} (${c.side ?? 'RIGHT'})` : ' (file)'}`, '', c.body);
  }
  return `${out.join('\n')}\n`;
}
