// `deptbot github review|watch` behind the command line: config, credentials, client, then the
// review or the poll loop. Everything from outside comes in through GithubEnv so tests run it whole
// against the local fake.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Rule, Severity, SeverityOrOff } from '../../rules/engine/types.ts';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../errors.ts';
import type { Review } from '../model.ts';
import { renderDraft } from '../reporters/format-github-review.ts';
import { formatSarif } from '../reporters/format-sarif.ts';
import { ruleInfos } from '../rule-docs.ts';
import { emptySummary } from '../run-summary.ts';
import { openDb } from '../store/db.ts';
import { GithubState } from '../store/github-state.ts';
import { VERSION } from '../version.ts';
import { GithubApi } from './api.ts';
import { resolveAuth } from './auth.ts';
import { createClient } from './client.ts';
import { describePull, parsePullNumber, parseRepo } from './pull-ref.ts';
import type { PublishOutcome } from './publish.ts';
import { reviewAtHead, reviewPull } from './review-pull.ts';
import type { GithubStages } from './stages.ts';
import { limitedGithubStages } from './limited-stages.ts';
import { watchRepo } from './watch.ts';

export interface GithubEnv {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  rules: readonly Rule[];
  stages(review: { rules: readonly Rule[]; severities: Record<string, SeverityOrOff>; budgetMs?: number }): GithubStages;
  /** Test knobs: milliseconds per retry-after second, spacing of writes. */
  tuning?: { retryAfterBaseMs?: number; writeSpacingMs?: number };
  signal?: AbortSignal;
}

interface CommonFlags {
  repo: string;
  apiUrl?: string;
  config?: string;
  dryRun?: boolean;
}

export interface GithubReviewFlags extends CommonFlags {
  pr: string;
  sarif?: string;
}

export interface GithubWatchFlags extends CommonFlags {
  once?: boolean;
  interval?: string;
  state?: string;
}

const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

async function setup(flags: CommonFlags, env: GithubEnv): Promise<{ config: Config; api: GithubApi; stages: GithubStages }> {
  const { config } = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd: env.cwd, ruleIds: env.rules.map((r) => r.meta.id) });
  const gh = config.github;
  const auth = resolveAuth(env.env, gh.app, flags.dryRun === true);
  const warn = (m: string): void => void env.stderr.write(`deptbot: ${m}\n`);
  const client = await createClient({
    apiUrl: flags.apiUrl ?? gh.apiUrl,
    auth,
    maxRetries: gh.maxRetries,
    maxRetryWaitSeconds: gh.maxRetryWaitSeconds,
    warn,
    ...(env.tuning ?? {}),
  });
  const stages = env.stages({ rules: env.rules, severities: config.rules, budgetMs: config.limits.ruleBudgetMs });
  return { config, api: new GithubApi(client), stages: limitedGithubStages(stages, config.limits) };
}

function describeOutcome(o: PublishOutcome): string {
  if (o.action === 'unchanged') return `review ${o.reviewId} is up to date; nothing posted`;
  if (o.action === 'updated') return `updated review ${o.reviewId} (${o.added} new comments)`;
  return `posted review ${o.reviewId}: ${o.inline} inline, ${o.fileLevel} file-level, ${o.inBody} in the body${o.superseded ? `; ${o.superseded} older review(s) collapsed` : ''}`;
}

async function writeSarif(file: string, review: Review, env: GithubEnv): Promise<void> {
  const text = formatSarif(
    { tool: { name: 'deptbot', version: VERSION }, reviews: [review], problems: [], summary: emptySummary(), rules: ruleInfos(env.rules) },
    { color: false },
  );
  await writeFile(resolve(env.cwd, file), text.endsWith('\n') ? text : `${text}\n`);
}

export async function runGithubReview(flags: GithubReviewFlags, env: GithubEnv): Promise<number> {
  const ref = { ...parseRepo(flags.repo), pull: parsePullNumber(flags.pr) };
  const { config, api, stages } = await setup(flags, env);
  const result = await reviewPull(api, ref, stages, { dryRun: flags.dryRun === true, maxCommits: config.github.maxCommits });
  if (flags.sarif) await writeSarif(flags.sarif, reviewAtHead(result.review, result.placements), env);
  if (result.outcome) env.stdout.write(`deptbot: ${describePull(ref)}: ${describeOutcome(result.outcome)}\n`);
  else env.stdout.write(renderDraft(result.draft));
  const failOn = rank[config.review.failOn];
  return result.review.findings.some((f) => rank[f.severity] >= failOn) ? EXIT_FINDINGS : EXIT_OK;
}

function intervalMs(text: string): number {
  const s = Number(text);
  if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--interval: expected seconds, got "${text}"`);
  return s * 1000;
}

export async function runGithubWatch(flags: GithubWatchFlags, env: GithubEnv): Promise<number> {
  const repo = parseRepo(flags.repo);
  const every = flags.interval === undefined ? undefined : intervalMs(flags.interval);
  const { config, api, stages } = await setup(flags, env);
  const db = openDb(resolve(env.cwd, flags.state ?? config.watch.state));
  try {
    await watchRepo({
      api,
      repo,
      state: new GithubState(db),
      intervalMs: every ?? config.github.pollIntervalSeconds * 1000,
      once: flags.once === true,
      ...(env.signal ? { signal: env.signal } : {}),
      warn: (m) => void env.stderr.write(`deptbot: ${m}\n`),
      review: async (ref, headSha) => {
        const result = await reviewPull(api, ref, stages, { dryRun: flags.dryRun === true, maxCommits: config.github.maxCommits });
        const line = result.outcome ? describeOutcome(result.outcome) : `dry run, ${result.draft.comments.length} comments\n${renderDraft(result.draft)}`;
        env.stdout.write(`deptbot: ${describePull(ref)}@${headSha.slice(0, 12)}: ${line}\n`);
        return { outcome: result.outcome?.action ?? 'dry-run', reviewId: result.outcome?.reviewId ?? null };
      },
    });
  } finally {
    db.close();
  }
  return EXIT_OK;
}
