import { Option } from 'commander';
import type { RegisterCommand } from '../cli.ts';
import { UsageError } from '../errors.ts';
import type { ReviewCommandOptions } from './review-run.ts';

interface ReviewFlags {
  git?: string;
  format?: string;
  output?: string;
  failOn?: 'error' | 'warning' | 'info';
  revision?: string;
  allRevisions?: boolean;
  config?: string;
  tree?: string;
}

function parseRevision(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--revision: expected a positive number, got "${value}"`);
  return Number(value);
}

export const registerReview: RegisterCommand = (program, setExit) => {
  program
    .command('review')
    .description('review patch files, directories, mailboxes (mbox, .gz, Maildir) or stdin (-)')
    .argument('[paths...]', 'inputs; - reads stdin')
    .option('--git <range>', 'review local commits as `git format-patch RANGE` would send them')
    .option('--format <format>', 'output format: text, json, sarif, email (default text, or review.format in the config)')
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 on findings at or above this severity (default error)').choices(['error', 'warning', 'info']))
    .option('--revision <n>', 'review revision N of each series instead of the latest')
    .option('--all-revisions', 'review every revision of each series')
    .option('--config <file>', 'configuration file (default ./deptbot.config.yaml when present)')
    .option('--tree <dir>', 'kernel git tree: apply the series and check whole functions')
    .option('--debug', 'show stack traces and debug logs')
    .action(async (paths: string[], flags: ReviewFlags) => {
      const opts: ReviewCommandOptions = {
        inputs: paths,
        git: flags.git,
        format: flags.format,
        output: flags.output,
        failOn: flags.failOn,
        revision: parseRevision(flags.revision),
        allRevisions: flags.allRevisions === true,
        config: flags.config,
        tree: flags.tree,
      };
      // Loaded here, not at the top, so that --help and the other commands start without the
      // config schema, the formatters, the mail layer and the rule engine.
      const [{ runReview }, { allRules }, { autoReviewWorkers, defaultSources, defaultStages }] = await Promise.all([
        import('./review-run.ts'),
        import('../../rules/index.ts'),
        import('../wiring.ts'),
      ]);
      setExit(
        await runReview(opts, {
          cwd: process.cwd(),
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          // [hardening] No cap of its own: runReview applies limits.maxMessageBytes from the config.
          stages: defaultStages({ maxMessageBytes: Number.MAX_SAFE_INTEGER, reviewWorkers: autoReviewWorkers() }),
          sources: defaultSources,
          rules: allRules,
        }),
      );
    });
};
