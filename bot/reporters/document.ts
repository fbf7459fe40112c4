// What a formatter gets: every review of the run plus the run's problems, summary and rule
// metadata. Formatters are pure functions of it.
import type { Address, InputProblem, Message, Review, Subject } from '../model.ts';
import type { Severity } from '../../rules/engine/types.ts';
import type { RunSummary } from '../run-summary.ts';

export interface RuleInfo {
  id: string;
  severity: Severity;
  description: string;
  /** The rule's doc page (Markdown), when it has one. */
  doc?: string;
}

export interface ReportDocument {
  tool: { name: string; version: string };
  reviews: readonly Review[];
  problems: readonly InputProblem[];
  summary: RunSummary;
  rules: readonly RuleInfo[];
}

export interface FormatOptions {
  /** ANSI colour: only on a TTY and without NO_COLOR; the command decides. */
  color: boolean;
}

/** A pure formatter: document in, text out. */
export type Formatter = (doc: ReportDocument, opts: FormatOptions) => string;

/** The message a finding of patch `index` points at: 0 = cover letter. */
export function messageOf(review: Review, index: number): Message | undefined {
  if (index === 0) return review.series.cover;
  return review.series.patches.find((p) => p.index === index)?.message;
}

export function formatAddress(a: Address): string {
  if (!a.name) return a.address;
  return a.address ? `${a.name} <${a.address}>` : a.name;
}

/** Findings in reading order: patch, file, line, rule. */
export function sortedFindings(review: Review): Review['findings'] {
  return [...review.findings].sort(
    (a, b) =>
      a.patch - b.patch ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/**
 * The subject as the author's tools wrote it, rebuilt from its parts as b4 does: list tags such as
 * "[Linaro-mm-sig]" and "Re:" dropped, "[RFC PATCH net-next v2 03/12] title" kept.
 */
export function displaySubject(subject: Subject): string {
  if (!subject.isPatch) return subject.text;
  const width = String(subject.expected).length;
  const tags = [
    ...(subject.rfc ? ['RFC'] : []),
    'PATCH',
    ...subject.prefixes,
    ...(subject.resend ? ['RESEND'] : []),
    ...(subject.revision > 1 ? [`v${subject.revision}`] : []),
    ...(subject.expected > 1 || subject.counter === 0 ? [`${String(subject.counter).padStart(width, '0')}/${subject.expected}`] : []),
  ];
  return `[${tags.join(' ')}] ${subject.text}`;
}
