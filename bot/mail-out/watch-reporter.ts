// `deptbot watch` + mail: the MailReporter on the watcher's state database and outbox directory.
import type { MailConfig } from '../../config/mail.ts';
import type { ReporterContext } from '../watch/run.ts';
import { MailReporter } from './mail-reporter.ts';
import { resolveMailSettings } from './settings.ts';
import type { MailFlags } from './settings.ts';

export function mailReporterFactory(config: MailConfig, flags: MailFlags, env: NodeJS.ProcessEnv): (ctx: ReporterContext) => MailReporter[] {
  // Resolved before the watch starts, so a bad --smtp or a missing allowlist stops it at once.
  const settings = resolveMailSettings(config, flags, env);
  return (ctx) => [new MailReporter({ settings, db: ctx.db, outboxDir: ctx.settings.outbox, log: ctx.log })];
}
