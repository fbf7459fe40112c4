// `deptbot review`: pick sources, run the pipeline, format, write, and turn the result into an
// exit code. Everything the command touches comes in through ReviewEnv so tests can run it whole.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Rule, Severity } from '../../rules/engine/types.ts';
import type { InputProblem } from '../model.ts';
import type { Source } from '../sources/types.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, InputError, UsageError, oneLine } from '../errors.ts';
import { runPipeline, type PipelineStages } from '../pipeline.ts';
import type { RevisionChoice } from '../revision-selector.ts';
import type { RunSummary } from '../run-summary.ts';
import { CollectingReporter } from '../reporters/collect.ts';
import { formatNames, formatterFor } from '../reporters/formats.ts';
import { fileTransport, stdoutTransport } from '../reporters/transport.ts';
import { ruleInfos } from '../rule-docs.ts';
import { noProgress, startProgress, wantsProgress, type Progress } from '../progress.ts';
import { inputSize } from '../input-size.ts';
import { timingFromEnv } from '../review-timing.ts';
import { loadConfig } from '../../config/load.ts';
import { limitedStages } from '../security/limits.ts';
import { VERSION } from '../version.ts';
import type { SourceFactory } from '../wiring.ts';

export interface ReviewCommandOptions {
  inputs: string[];
  git?: string;
  format?: string;
  output?: string;
  failOn?: Severity;
  revision?: number;
  allRevisions?: boolean;
  config?: string;
  tree?: string;
}

export interface ReviewEnv {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  stages: PipelineStages;
  sources: SourceFactory;
  rules: readonly Rule[];
}

const severityRank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export async function runReview(opts: ReviewCommandOptions, env: ReviewEnv): Promise<number> {
  const { config, file: configFile } = await loadConfig({
    file: opts.config,
    cwd: env.cwd,
    ruleIds: env.rules.map((r) => r.meta.id),
  });
  const formatName = opts.format ?? config.review.format;
  const formatter = formatterFor(formatName);
  if (!formatter) {
    const known = formatNames().join(', ');
    if (opts.format === undefined && configFile) {
      throw new InputError(configFile, `review.format: unknown format "${formatName}" (${known})`);
    }
    throw new UsageError(`--format: unknown format "${formatName}" (${known})`);
  }
  const failOn = opts.failOn ?? config.review.failOn;
  const revisions = revisionChoice(opts);
  if (opts.tree !== undefined) await requireDirectory(resolve(env.cwd, opts.tree), opts.tree);

  // [hardening] config.limits: message size (sources and parsing), patch size, rule budget.
  const limits = config.limits;
  const { sources, problems } = await openSources(opts, env, limits.maxMessageBytes);
  const progress = await progressFor(opts, env);
  const printProblem = (p: InputProblem): void => progress.log(`deptbot: ${p.input}: ${p.message}\n`);
  problems.forEach(printProblem);

  const collector = new CollectingReporter();
  const timing = timingFromEnv(env.env);
  let summary: RunSummary;
  try {
    summary = await runPipeline({
      sources,
      reporters: [collector],
      stages: limitedStages(env.stages, limits),
      revisions,
      review: { rules: env.rules, severities: config.rules, ...(opts.tree ? { tree: resolve(env.cwd, opts.tree) } : {}) },
      onProblem: printProblem,
      onMessage: (raw) => progress.tick(raw.data.length),
      ...(timing ? { onRuleTiming: (series, id, ms) => timing.timing.add(series, id, ms) } : {}),
    });
  } finally {
    progress.stop();
  }
  summary.problems.unshift(...problems);

  const useColor = opts.output === undefined && env.stdout.isTTY === true && !env.env.NO_COLOR;
  const text = formatter(
    {
      tool: { name: 'deptbot', version: VERSION },
      reviews: collector.reviews,
      problems: summary.problems,
      summary,
      rules: ruleInfos(env.rules),
    },
    { color: useColor },
  );
  await (opts.output === undefined ? stdoutTransport(env.stdout) : fileTransport(resolve(env.cwd, opts.output))).write(text);
  timing?.timing.write(timing.file);

  if (summary.series === 0 && summary.problems.length > 0) return EXIT_USAGE;
  const threshold = severityRank[failOn];
  const failing = (Object.keys(summary.findings) as Severity[]).some(
    (s) => severityRank[s] >= threshold && summary.findings[s] > 0,
  );
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

function revisionChoice(opts: ReviewCommandOptions): RevisionChoice {
  if (opts.allRevisions && opts.revision !== undefined) {
    throw new UsageError('--revision and --all-revisions cannot be used together');
  }
  if (opts.allRevisions) return { mode: 'all' };
  if (opts.revision !== undefined) return { mode: 'only', revision: opts.revision };
  return { mode: 'latest' };
}

async function requireDirectory(path: string, name: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(name, 'not a directory');
}

/** Opens each input on its own, so one missing or unreadable input never hides the others. */
async function openSources(
  opts: ReviewCommandOptions,
  env: ReviewEnv,
  maxMessageBytes: number,
): Promise<{ sources: Source[]; problems: InputProblem[] }> {
  if (opts.inputs.length === 0 && opts.git === undefined) {
    throw new UsageError('review: no input; give patch files, mailboxes or directories, - for stdin, or --git RANGE');
  }
  const sources: Source[] = [];
  const problems: InputProblem[] = [];
  for (const input of opts.inputs) {
    if (input !== '-' && !(await stat(resolve(env.cwd, input)).catch(() => undefined))) {
      problems.push({ input, message: 'no such file or directory' });
      continue;
    }
    try {
      sources.push(...env.sources.open([asGiven(input, env.cwd)], { maxMessageBytes }));
    } catch (err) {
      problems.push(err instanceof InputError ? { input: err.input, message: err.problem } : { input, message: oneLine(err) });
    }
  }
  if (opts.git !== undefined) sources.push(env.sources.git(opts.git, env.cwd, { maxMessageBytes }));
  return { sources, problems };
}

/** Keeps the user's spelling of a path in messages when it resolves the same way. */
function asGiven(input: string, cwd: string): string {
  return input === '-' || resolve(cwd) === process.cwd() ? input : resolve(cwd, input);
}

async function progressFor(opts: ReviewCommandOptions, env: ReviewEnv): Promise<Progress> {
  const isTTY = env.stderr.isTTY === true;
  if (!isTTY || opts.git !== undefined || opts.inputs.includes('-')) return noProgress(env.stderr);
  const size = await inputSize(opts.inputs.map((p) => resolve(env.cwd, p)));
  if (!wantsProgress({ isTTY, totalBytes: size.bytes })) return noProgress(env.stderr);
  return startProgress(env.stderr, size.bytes, size.compressed);
}
