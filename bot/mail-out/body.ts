// The text of a reply, as a careful reviewer writes it: an attribution line, the quoted lines with
// each finding right under its line, bottom-posted, prose wrapped at 72 columns, and a short footer.
import type { Message, Patch, Review } from '../model.ts';
import type { Finding, Location } from '../../rules/engine/types.ts';
import { displaySubject } from '../reporters/document.ts';
import { headerText } from './headers.ts';
import { anchorOf, quoteLine, quoteWithComments } from './quote.ts';
import { withoutRelaySuffix } from './recipients.ts';
import { wrapParagraph } from './wrap.ts';

const CONFIG_FILE = 'deptbot.config.yaml';

/** "On <date>, <name> wrote:" with the date as the sender wrote it. */
export function attribution(msg: Message, name: string): string {
  const date = headerText(msg.headers.get('date') ?? '', 80) || msg.date.toUTCString();
  return `On ${date}, ${headerText(name, 120) || 'you'} wrote:`;
}

function location(f: Location, patchCount: number): string {
  const where = f.file !== undefined ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '';
  const patch = f.patch === 0 ? 'cover letter' : `patch ${f.patch}/${patchCount}`;
  return where ? `${where} (${patch})` : patch;
}

/** A related location's label: DEPT's own marks ("[W] ...") already carry their brackets. */
function bracketed(label: string): string {
  return label.startsWith('[') ? label : `[${label}]`;
}

/** One finding: "<severity> [<rule>]: <reason>" wrapped, then its related locations. */
export function findingText(f: Finding, patchCount: number, withLocation = false): string[] {
  const where = withLocation ? `${location(f, patchCount)}: ` : '';
  const lines = wrapParagraph(`${where}${f.severity} [${f.ruleId}]: ${headerText(f.message, 4000)}`);
  for (const r of f.related ?? []) {
    lines.push(...wrapParagraph(`${bracketed(headerText(r.label, 80))} ${location(r, patchCount)}`, 72, '      ').map((l, i) => (i === 0 ? `  ${l}` : l)));
  }
  return lines;
}

export function footer(ruleIds: readonly string[], version: string): string[] {
  const id = ruleIds.length === 1 ? ruleIds[0] : '<rule-id>';
  return [
    '-- ',
    ...wrapParagraph(
      `deptbot ${version}, an automated reviewer for DEPT wait/event hazards, dma-buf revoke and CMA/dmem accounting. ` +
        `It can be wrong; a reply reaches the people who run it.`,
    ),
    ...wrapParagraph(`Rule documentation: \`deptbot explain ${id}\`. To silence a rule, set \`rules: {${id}: off}\` in ${CONFIG_FILE}.`),
  ];
}

/** The first lines of a text, quoted, with "[...]" when more follow. */
function quoteStart(text: string, max: number): string[] {
  const lines = text.split('\n');
  while (lines.length > 0 && (lines[0] ?? '').trim() === '') lines.shift();
  const shown = lines.slice(0, max);
  const out = shown.map((l) => quoteLine(l.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')));
  if (lines.length > max) out.push('[...]');
  return out;
}

export interface BodyOptions {
  quoteContext: number;
  version: string;
}

/** Reply to one patch: its anchored findings under quoted diff lines, the others after them. */
export function patchReplyBody(review: Review, patch: Patch, findings: readonly Finding[], opts: BodyOptions): string {
  const count = review.series.expected || review.series.patches.length;
  const anchored = [];
  const loose: Finding[] = [];
  for (const f of findings) {
    const anchor = f.patch === patch.index ? anchorOf(patch, f) : undefined;
    if (anchor) anchored.push({ finding: f, anchor });
    else loose.push(f);
  }
  const name = patch.message.from.name || patch.author.name || patch.message.from.address;
  const out = [attribution(patch.message, withoutRelaySuffix(name))];
  if (anchored.length > 0) {
    out.push(...quoteWithComments(patch, anchored, opts.quoteContext, (fs) => fs.flatMap((f) => findingText(f, count))));
  } else {
    out.push(...quoteStart(patch.commitMessage, 3), '');
  }
  for (const f of loose) out.push(...findingText(f, count, true), '');
  return finish(out, findings, opts.version);
}

/** Summary reply to the cover letter: what was found where, or an all clear, and the series notes. */
export function coverSummaryBody(review: Review, cover: Message, coverFindings: readonly Finding[], opts: BodyOptions): string {
  const { series } = review;
  const count = series.expected || series.patches.length;
  const out = [attribution(cover, cover.from.name || cover.from.address), ...quoteStart(cover.body, 3), ''];
  const tally = (['error', 'warning', 'info'] as const)
    .map((s) => [s, review.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
  const what = `v${series.revision} of this series (${series.patches.length} of ${count} patches)`;
  out.push(...wrapParagraph(tally.length > 0 ? `deptbot reviewed ${what} and found ${tally.join(', ')}.` : `deptbot reviewed ${what} and found nothing to report.`), '');
  for (const p of series.patches) {
    const fs = review.findings.filter((f) => f.patch === p.index);
    if (fs.length === 0) continue;
    out.push(...wrapParagraph(headerText(displaySubject(p.message.subject), 300), 72, '    '));
    for (const f of fs) out.push(`    ${f.file !== undefined ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}: ` : ''}${f.severity} [${f.ruleId}]`);
  }
  if (review.findings.some((f) => f.patch !== 0)) out.push('', ...wrapParagraph('Each finding is explained in the reply to its patch.'), '');
  for (const f of coverFindings) out.push(...findingText(f, count, true), '');
  for (const note of [...series.notes, ...review.notes]) out.push(...wrapParagraph(`Note: ${headerText(note, 1000)}`), '');
  return finish(out, coverFindings.length > 0 ? coverFindings : review.findings, opts.version);
}

function finish(lines: string[], findings: readonly Finding[], version: string): string {
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
  return `${[...lines, '', ...footer(ids, version)].join('\n')}\n`;
}
