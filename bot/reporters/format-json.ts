// `--format json`: the schema documented in the README. Field names are fixed; extra fields
// (notes, ruleErrors, related, summary) are additions, never renames.
import type { Review } from '../model.ts';
import type { RunSummary } from '../run-summary.ts';
import type { Formatter, ReportDocument } from './document.ts';
import { displaySubject, formatAddress, messageOf, sortedFindings } from './document.ts';

export interface JsonLocation {
  patch: number;
  file: string | null;
  line: number | null;
}

export interface JsonFinding extends JsonLocation {
  ruleId: string;
  severity: string;
  messageId: string | null;
  message: string;
  related: Array<JsonLocation & { label: string }>;
}

export interface JsonSeries {
  subject: string;
  revision: number;
  expected: number;
  complete: boolean;
  missing: number[];
  cover: { messageId: string; subject: string } | null;
  patches: Array<{ index: number; messageId: string; subject: string; author: string; files: string[] }>;
  findings: JsonFinding[];
  notes: string[];
  ruleErrors: Array<{ ruleId: string; kind: string; message: string }>;
}

export interface JsonReport {
  tool: { name: string; version: string };
  series: JsonSeries[];
  errors: Array<{ input: string; message: string }>;
  summary: Omit<RunSummary, 'problems' | 'ruleErrors'>;
}

export function toJsonSeries(review: Review): JsonSeries {
  const { series } = review;
  return {
    subject: series.title,
    revision: series.revision,
    expected: series.expected,
    complete: series.complete,
    missing: [...series.missing],
    cover: series.cover ? { messageId: series.cover.id, subject: displaySubject(series.cover.subject) } : null,
    patches: series.patches.map((p) => ({
      index: p.index,
      messageId: p.message.id,
      subject: displaySubject(p.message.subject),
      author: formatAddress(p.author),
      files: p.files.map((f) => f.path),
    })),
    findings: sortedFindings(review).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      patch: f.patch,
      messageId: messageOf(review, f.patch)?.id ?? null,
      file: f.file ?? null,
      line: f.line ?? null,
      message: f.message,
      related: (f.related ?? []).map((r) => ({ label: r.label, patch: r.patch, file: r.file ?? null, line: r.line ?? null })),
    })),
    notes: [...series.notes, ...review.notes],
    ruleErrors: review.ruleErrors.map((e) => ({ ruleId: e.ruleId, kind: e.kind, message: e.message })),
  };
}

export function toJsonReport(doc: ReportDocument): JsonReport {
  const s = doc.summary;
  return {
    tool: { ...doc.tool },
    series: doc.reviews.map(toJsonSeries),
    errors: doc.problems.map((p) => ({ input: p.input, message: p.message })),
    summary: {
      messages: s.messages,
      series: s.series,
      patches: s.patches,
      followUps: s.followUps,
      skipped: { ...s.skipped },
      otherRevisions: s.otherRevisions,
      findings: { ...s.findings },
    },
  };
}

export const formatJson: Formatter = (doc) => `${JSON.stringify(toJsonReport(doc), null, 2)}\n`;
