import { Option } from 'commander';
import type { RegisterCommand } from '../cli.ts';
import { EXIT_OK, EXIT_USAGE } from '../errors.ts';
import { LOG_LEVELS, type LogLevel } from '../watch/log-levels.ts';
import type { WatchFlags } from '../watch/settings.ts';

interface Flags extends WatchFlags {
  /** [mail] --smtp / --send (bot/mail-out). */
  smtp?: string;
  send?: boolean;
  config?: string;
  logLevel?: LogLevel;
  debug?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const registerWatch: RegisterCommand = (program, setExit) => {
  program
    .command('watch')
    .description('follow IMAP, a Maildir or a public-inbox mirror and review each series once, when it completes')
    .option('--imap <url>', 'imap://user@host:port/FOLDER or imaps://... (password in DEPTBOT_IMAP_PASSWORD); repeatable', collect)
    .option('--maildir <dir>', 'a Maildir as `lei q`/`lei up` write it; repeatable', collect)
    .option('--public-inbox <gitdir>', 'one epoch of a public-inbox git mirror; repeatable', collect)
    .option('--fetch-command <cmd>', 'command run in each public-inbox repository before a poll ("" = none)')
    .option('--poll-interval <duration>', 'public-inbox poll interval (default 5m)')
    .option('--quiet-period <duration>', 'review an incomplete series after this long without a new patch (default 10m)')
    .option('--once', 'process what is there now, review what is due, and exit')
    .option('--state <file>', 'SQLite state file (default ./deptbot-state.sqlite)')
    .option('--outbox <dir>', 'directory reviews are written to (default ./outbox)')
    .addOption(new Option('--format <format>', 'review file format (default text)').choices(['text', 'json']))
    .option('--smtp <url>', 'SMTP server for review mails: smtp://host:port (STARTTLS) or smtps://host:port; auth from DEPTBOT_SMTP_USER/DEPTBOT_SMTP_PASSWORD')
    .option('--send', 'send review mails by SMTP (default: dry-run, .eml files in the outbox)')
    .option('--config <file>', 'configuration file (default ./deptbot.config.yaml when present)')
    .addOption(new Option('--log-level <level>', 'log level on stderr (default info)').choices([...LOG_LEVELS]))
    .option('--debug', 'show stack traces and debug logs')
    .action(async (flags: Flags) => {
      // Loaded on use so that --help and the other commands start without the config schema, pino,
      // the mail layer and the rule engine.
      const [{ loadConfig }, { allRules }, { createLogger }, { resolveSettings }] = await Promise.all([
        import('../../config/load.ts'),
        import('../../rules/index.ts'),
        import('../watch/log.ts'),
        import('../watch/settings.ts'),
      ]);
      const cwd = process.cwd();
      const { config } = await loadConfig({ file: flags.config, cwd, ruleIds: allRules.map((r) => r.meta.id) });
      const settings = resolveSettings(flags, config, cwd);
      const log = createLogger(flags.logLevel ?? (flags.debug ? 'debug' : 'info'));
      const { defaultStages } = await import('../wiring.ts');
      const { limitedStages } = await import('../security/limits.ts');
      const { runWatch } = await import('../watch/run.ts');
      const { mailReporterFactory } = await import('../mail-out/watch-reporter.ts');
      const mailReporters = mailReporterFactory(config.mail, { smtp: flags.smtp, send: flags.send }, process.env);
      const stop = new AbortController();
      const onSignal = (sig: NodeJS.Signals): void => {
        log.info({ signal: sig }, 'stopping after the current step');
        stop.abort();
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        const result = await runWatch(settings, {
          // [hardening] config.limits: message size, patch size, rule budget.
          stages: limitedStages(defaultStages({ maxMessageBytes: config.limits.maxMessageBytes }), config.limits),
          review: { rules: allRules, severities: config.rules },
          log,
          env: process.env,
          signal: stop.signal,
          reporters: mailReporters,
        });
        setExit(settings.once && result.sourceFailures > 0 ? EXIT_USAGE : EXIT_OK);
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
};
