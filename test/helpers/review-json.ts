// Runs the whole review command in-process on some inputs and returns its JSON report: the shared
// driver of the golden and corpus tests.
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { runReview } from '../../bot/commands/review-run.ts';
import type { JsonReport } from '../../bot/reporters/format-json.ts';
import { defaultSources, defaultStages } from '../../bot/wiring.ts';
import { allRules } from '../../rules/index.ts';
import { repoRoot } from './corpus.ts';

export async function reviewJson(inputs: string[], opts: { allRevisions?: boolean } = {}): Promise<JsonReport> {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  let errText = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  err.on('data', (d: Buffer) => (errText += d.toString()));
  await runReview(
    { inputs, format: 'json', allRevisions: opts.allRevisions === true },
    { cwd: repoRoot, stdout: out, stderr: err, env: {}, stages: defaultStages(), sources: defaultSources, rules: allRules },
  );
  await new Promise((r) => setImmediate(r));
  expect(errText).toBe('');
  return JSON.parse(text) as JsonReport;
}
