// The counts of one run, as the pipeline returns them and the text summary line prints them.
import type { InputProblem } from './model.ts';
import type { Severity } from '../rules/engine/types.ts';

export interface RunSummary {
  /** Raw messages read from all sources. */
  messages: number;
  /** Series reviewed and reported. */
  series: number;
  /** Patches in the reported series. */
  patches: number;
  followUps: number;
  /** Messages that are neither patches nor follow-ups, by reason. */
  skipped: Record<string, number>;
  /** Series assembled but not reported because another revision was chosen. */
  otherRevisions: number;
  findings: Record<Severity, number>;
  /** Rules that crashed or ran out of budget, summed over the reported series. */
  ruleErrors: number;
  /** Bad inputs, in the order found. */
  problems: InputProblem[];
}

export function emptySummary(): RunSummary {
  return {
    messages: 0,
    series: 0,
    patches: 0,
    followUps: 0,
    skipped: {},
    otherRevisions: 0,
    findings: { error: 0, warning: 0, info: 0 },
    ruleErrors: 0,
    problems: [],
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "3 series, 16 patches, 40 follow-ups, 12 skipped (8 no diff, 4 duplicate), 1 error; findings: ..." */
export function summaryLine(s: RunSummary): string {
  const skippedTotal = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(s.skipped)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${n} ${reason}`);
  const parts = [
    plural(s.series, 'series', 'series') +
      (s.otherRevisions > 0 ? ` (${plural(s.otherRevisions, 'other revision')} not reviewed)` : ''),
    plural(s.patches, 'patch', 'patches'),
    plural(s.followUps, 'follow-up'),
    `${skippedTotal} skipped${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`,
    plural(s.problems.length, 'error'),
  ];
  const f = s.findings;
  const findings = `findings: ${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${f.info} info`;
  const ruleErrors = s.ruleErrors > 0 ? `; ${plural(s.ruleErrors, 'rule error')}` : '';
  return `${parts.join(', ')}; ${findings}${ruleErrors}`;
}
