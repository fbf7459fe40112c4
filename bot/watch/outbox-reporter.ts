// Until reviews are mailed, the watcher writes each one to the outbox directory as a file: text, or
// one JSON line with --format json. The name is the review's deterministic id and the file is
// written to a temporary name and renamed, so a repeated review replaces itself and a crash never
// leaves half a file under the final name.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Review } from '../model.ts';
import type { Reporter } from '../reporters/types.ts';
import { formatText } from '../reporters/format-text.ts';
import { toJsonSeries } from '../reporters/format-json.ts';
import { emptySummary } from '../run-summary.ts';
import { VERSION } from '../version.ts';
import { reviewId } from './review-id.ts';

export type OutboxFormat = 'text' | 'json';

export function outboxFileName(review: Review, format: OutboxFormat): string {
  return `${reviewId(review)}.${format === 'json' ? 'jsonl' : 'txt'}`;
}

export function renderReview(review: Review, format: OutboxFormat): string {
  if (format === 'json') {
    return `${JSON.stringify({ tool: { name: 'deptbot', version: VERSION }, id: reviewId(review), ...toJsonSeries(review) })}\n`;
  }
  const summary = emptySummary();
  summary.series = 1;
  summary.patches = review.series.patches.length;
  summary.ruleErrors = review.ruleErrors.length;
  for (const f of review.findings) summary.findings[f.severity]++;
  const doc = { tool: { name: 'deptbot', version: VERSION }, reviews: [review], problems: [], summary, rules: [] };
  return formatText(doc, { color: false });
}

export class OutboxReporter implements Reporter {
  constructor(
    private readonly dir: string,
    private readonly format: OutboxFormat = 'text',
  ) {
    mkdirSync(dir, { recursive: true });
  }

  async report(review: Review): Promise<void> {
    const name = outboxFileName(review, this.format);
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, renderReview(review, this.format));
    renameSync(tmp, join(this.dir, name));
  }
}
