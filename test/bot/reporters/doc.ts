// A report document with two series, findings with and without files, related locations and an
// input problem: shared by the formatter tests.
import type { ReportDocument } from '../../../bot/reporters/document.ts';
import { emptySummary } from '../../../bot/run-summary.ts';
import { finding, review, series } from '../../helpers/review-fixtures.ts';

export function sampleDocument(): ReportDocument {
  const revoke = series({ title: 'dma-buf: revoke', revision: 7, expected: 3, cover: true });
  const single = series({ title: 'cma: charge dmem', present: [1] });
  const summary = emptySummary();
  summary.messages = 6;
  summary.series = 2;
  summary.patches = 4;
  summary.followUps = 2;
  summary.skipped = { 'no diff': 1 };
  summary.findings = { error: 2, warning: 1, info: 0 };
  summary.problems.push({ input: 'missing.mbox', message: 'no such file or directory' });
  return {
    tool: { name: 'deptbot', version: '0.1.0' },
    reviews: [
      review(revoke, [
        finding({ ruleId: 'revoke/wait-under-resv', patch: 3, file: 'drivers/dma-buf/x.c', line: 120, related: [
          { label: '[S]', patch: 3, file: 'drivers/dma-buf/x.c', line: 110 },
          { label: '[W]', patch: 3, file: 'drivers/dma-buf/x.c', line: 120 },
          { label: '[E]', patch: 2, file: 'drivers/dma-buf/y.c', line: 40 },
        ] }),
        finding({ ruleId: 'revoke/removed-api', patch: 2, file: 'drivers/dma-buf/y.c', line: 41, message: 'calls dma_buf_move_notify()' }),
        finding({ ruleId: 'dept/timeout-hides-deadlock', severity: 'warning', patch: 0, message: 'cover speaks of a hang' }),
      ], ['reviewed hunks only']),
      review(single),
    ],
    problems: summary.problems,
    summary,
    rules: [
      { id: 'revoke/wait-under-resv', severity: 'error', description: 'waits for importers under the resv', doc: '# revoke/wait-under-resv\n\nWhy.\n' },
      { id: 'revoke/removed-api', severity: 'error', description: 'uses removed API' },
      { id: 'dept/timeout-hides-deadlock', severity: 'warning', description: 'timeout hides a deadlock' },
    ],
  };
}
