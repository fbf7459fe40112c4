// reviewSeries: the rule engine's entry point for the pipeline. Runs the rules (optionally on
// whole functions of an applied --tree), settles the findings and stamps the rule-set version.
import { createHash } from 'node:crypto';
import type { Review, Series } from '../../bot/model.ts';
import { VERSION } from '../../bot/version.ts';
import { settleFindings } from './findings.ts';
import { memoByRules } from './rule-set-memo.ts';
import { runRules } from './runner.ts';
import type { RunOptions } from './runner.ts';
import { treeFacts } from './tree/tree-facts.ts';
import type { Rule, SeverityOrOff } from './types.ts';

export interface ReviewOptions {
  /** The rules to run; default: every rule of rules/index.ts. */
  rules?: readonly Rule[];
  severities?: Record<string, SeverityOrOff>;
  /** A kernel git tree: the series is applied in a temporary worktree and rules see whole functions. */
  tree?: string;
  /** Time budget per rule per series in ms (default 2000). */
  budgetMs?: number;
  /** Side channel for the benchmark: total ms each rule spent on this series. */
  onTiming?: (ruleId: string, ms: number) => void;
}

export async function reviewSeries(series: Series, opts: ReviewOptions = {}): Promise<Review> {
  const rules = opts.rules ?? (await import('../index.ts')).allRules;
  const notes: string[] = [];
  const run: RunOptions = {};
  if (opts.severities) run.severities = opts.severities;
  if (opts.budgetMs !== undefined) run.budgetMs = opts.budgetMs;
  if (opts.onTiming) run.onTiming = opts.onTiming;
  if (opts.tree !== undefined) {
    const t = await treeFacts(series, opts.tree);
    if (t.facts) run.treeFacts = t.facts;
    if (t.note) notes.push(t.note);
  }
  const { findings, ruleErrors } = await runRules(series, rules, run);
  return { series, findings: settleFindings(findings, rules), ruleErrors, notes, rulesetVersion: rulesetVersion(rules) };
}

/** Hash of the rule ids and the tool version: findings of equal versions are comparable. */
export const rulesetVersion = memoByRules(versionOf);

function versionOf(rules: readonly Rule[]): string {
  const h = createHash('sha256');
  h.update(VERSION);
  for (const id of rules.map((r) => r.meta.id).sort()) h.update(`\n${id}`);
  return h.digest('hex').slice(0, 12);
}
