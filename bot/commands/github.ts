// `deptbot github review` and `deptbot github watch`: posting to GitHub is what these commands are
// for, so they post unless --dry-run is given (unlike mail, which is dry-run unless configured).
import type { Command } from 'commander';
import type { RegisterCommand } from '../cli.ts';
import type { GithubEnv } from '../github/run.ts';

async function environment(): Promise<GithubEnv> {
  // Loaded on use so that other commands start without octokit and the rule engine.
  const [{ defaultGithubStages }, { allRules }] = await Promise.all([
    import('../github/default-stages.ts'),
    import('../../rules/index.ts'),
  ]);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    rules: allRules,
    stages: defaultGithubStages,
    signal: controller.signal,
  };
}

function common(cmd: Command): Command {
  return cmd
    .requiredOption('--repo <owner/name>', 'the repository')
    .option('--api-url <url>', 'REST API root, e.g. https://github.example.com/api/v3 (default: github.apiUrl)')
    .option('--config <file>', 'configuration file (default ./deptbot.config.yaml when present)')
    .option('--dry-run', 'print the review instead of posting it');
}

export const registerGithub: RegisterCommand = (program, setExit) => {
  const github = program.command('github').description('review GitHub pull requests (token from DEPTBOT_GITHUB_TOKEN or GITHUB_TOKEN, or a GitHub App)');
  common(github.command('review'))
    .description('review one pull request and post (or update) one review with inline comments')
    .requiredOption('--pr <number>', 'pull request number')
    .option('--sarif <file>', 'also write the findings, at head lines, as SARIF for code scanning')
    .action(async (flags: { repo: string; pr: string; apiUrl?: string; config?: string; dryRun?: boolean; sarif?: string }) => {
      const { runGithubReview } = await import('../github/run.ts');
      setExit(await runGithubReview(flags, await environment()));
    });
  common(github.command('watch'))
    .description('poll open pull requests (conditional requests) and review each new head once')
    .option('--once', 'poll once and exit')
    .option('--interval <seconds>', 'seconds between polls (default: github.pollIntervalSeconds)')
    .option('--state <file>', 'SQLite state file (default: watch.state)')
    .action(async (flags: { repo: string; apiUrl?: string; config?: string; dryRun?: boolean; once?: boolean; interval?: string; state?: string }) => {
      const { runGithubWatch } = await import('../github/run.ts');
      setExit(await runGithubWatch(flags, await environment()));
    });
};
