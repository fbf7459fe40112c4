// `--format text`: compiler-style lines, `file:line: severity: message [rule-id]`, grouped under
// each patch's subject, then one summary line. Colour only when the caller says so.
import { styleText } from 'node:util';
import type { Review } from '../model.ts';
import type { Finding, Location, Severity } from '../../rules/engine/types.ts';
import type { Formatter } from './document.ts';
import { displaySubject, messageOf, sortedFindings } from './document.ts';
import { summaryLine } from '../run-summary.ts';

type Style = Parameters<typeof styleText>[0];

const severityStyle: Record<Severity, Style> = { error: ['bold', 'red'], warning: ['bold', 'yellow'], info: ['bold', 'cyan'] };

function where(loc: Location): string {
  if (!loc.file) return `patch ${loc.patch}`;
  return loc.line ? `${loc.file}:${loc.line}` : loc.file;
}

function seriesHeading(review: Review): string {
  const s = review.series;
  const count = `${s.patches.length}/${s.expected} patches`;
  const state = s.complete ? 'complete' : `incomplete, missing ${s.missing.join(', ')}`;
  return `== ${s.title} (v${s.revision}, ${count}, ${state}) ==`;
}

function formatReview(review: Review, paint: (style: Style, text: string) => string): string[] {
  const lines = [paint('bold', seriesHeading(review))];
  for (const note of [...review.series.notes, ...review.notes]) lines.push(`note: ${note}`);
  for (const e of review.ruleErrors) {
    lines.push(`note: rule ${e.ruleId} ${e.kind === 'budget' ? 'ran out of time' : 'failed'}: ${e.message}`);
  }
  const findings = sortedFindings(review);
  if (findings.length === 0) lines.push('no findings');
  let lastPatch = -1;
  for (const f of findings) {
    if (f.patch !== lastPatch) {
      lastPatch = f.patch;
      const msg = messageOf(review, f.patch);
      const subject = msg ? displaySubject(msg.subject) : `patch ${f.patch}`;
      lines.push(paint('bold', subject));
    }
    lines.push(findingLine(f, paint));
    for (const r of f.related ?? []) lines.push(`${where(r)}: ${paint('dim', 'note:')} ${r.label}`);
  }
  return lines;
}

function findingLine(f: Finding, paint: (style: Style, text: string) => string): string {
  return `${where(f)}: ${paint(severityStyle[f.severity], `${f.severity}:`)} ${f.message} ${paint('dim', `[${f.ruleId}]`)}`;
}

export const formatText: Formatter = (doc, opts) => {
  const paint = (style: Style, text: string): string => (opts.color ? styleText(style, text) : text);
  const blocks = doc.reviews.map((r) => formatReview(r, paint).join('\n'));
  return `${[...blocks, summaryLine(doc.summary)].join('\n\n')}\n`;
};
