// Flags over config over defaults: what the mail reporter of one run uses. Secrets come from the
// environment only (DEPTBOT_SMTP_USER / DEPTBOT_SMTP_PASSWORD), never from flags or the config.
import type { MailConfig } from '../../config/mail.ts';
import { mailSection } from '../../config/mail.ts';
import type { Address } from '../model.ts';
import { addresses } from '../mail/addresses.ts';
import { UsageError } from '../errors.ts';
import { parseDuration } from '../watch/duration.ts';
import { VERSION } from '../version.ts';
import type { ComposeOptions } from './compose.ts';
import type { RecipientPolicy } from './recipients.ts';

export interface MailFlags {
  /** smtp://host:port or smtps://host:port */
  smtp?: string;
  send?: boolean;
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://). */
  implicitTls: boolean;
  starttls: 'required' | 'opportunistic' | 'off';
  timeoutMs: number;
  auth?: { user: string; pass: string };
}

export interface MailSettings {
  /** SMTP delivery wanted (--send or mail.send) and not stopped by the kill switch. */
  sending: boolean;
  /** The kill switch is on (mail.enabled: false). */
  killed: boolean;
  smtp: SmtpSettings;
  from: Address;
  policy: RecipientPolicy;
  /** When false (dry-run without an allowlist) recipients are shown unfiltered. */
  enforceAllowlist: boolean;
  bots: readonly string[];
  limits: MailConfig['limits'];
  retry: { initialMs: number; maxMs: number; attempts: number };
  /** How long a mail interrupted mid-transaction waits for the list's echo before it is resent. */
  uncertainGraceMs: number;
  compose: Omit<ComposeOptions, 'now'>;
}

export function parseSmtpUrl(url: string, what = '--smtp'): Pick<SmtpSettings, 'host' | 'port' | 'implicitTls'> {
  const m = /^(smtps?):\/\/([^/@:\s]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(url.trim());
  if (!m) throw new UsageError(`${what}: expected smtp://host:port or smtps://host:port (no user or password: use DEPTBOT_SMTP_USER and DEPTBOT_SMTP_PASSWORD)`);
  const implicitTls = m[1] === 'smtps';
  const port = m[3] ? Number(m[3]) : implicitTls ? 465 : 587;
  if (port < 1 || port > 65535) throw new UsageError(`${what}: port ${port} is out of range`);
  return { host: (m[2] as string).replace(/^\[|\]$/g, ''), port, implicitTls };
}

export function parseFrom(text: string): Address {
  const a = addresses(text)[0];
  if (!a?.address || !/^[^@\s]+@[^@\s]+$/.test(a.address)) throw new UsageError(`mail.from: "${text}" is not an address such as "deptbot <deptbot@example.org>"`);
  return { name: a.name, address: a.address };
}

export function resolveMailSettings(config: MailConfig | undefined, flags: MailFlags, env: NodeJS.ProcessEnv): MailSettings {
  const c = config ?? mailSection.parse(undefined);
  const user = env.DEPTBOT_SMTP_USER;
  const pass = env.DEPTBOT_SMTP_PASSWORD;
  if ((user === undefined) !== (pass === undefined)) {
    throw new UsageError('SMTP auth needs both DEPTBOT_SMTP_USER and DEPTBOT_SMTP_PASSWORD in the environment');
  }
  const wantSend = flags.send === true || c.send;
  const policy: RecipientPolicy = {
    allow: { lists: c.allow.lists.map((l) => l.toLowerCase()), domains: c.allow.domains.map((d) => d.toLowerCase()) },
    cc: { original: c.cc.original, max: c.cc.max, drop: c.cc.drop },
  };
  const allowlistEmpty = policy.allow.lists.length === 0 && policy.allow.domains.length === 0;
  if (wantSend && c.enabled && allowlistEmpty) {
    throw new UsageError('--send: mail.allow.lists and mail.allow.domains are empty; a reply could go to anyone, so nothing is sent (set them in the config)');
  }
  const from = parseFrom(c.from);
  return {
    sending: wantSend && c.enabled,
    killed: !c.enabled,
    smtp: {
      ...parseSmtpUrl(flags.smtp ?? c.smtp.url, flags.smtp ? '--smtp' : 'mail.smtp.url'),
      starttls: c.smtp.starttls,
      timeoutMs: parseDuration(c.smtp.timeout, 'mail.smtp.timeout'),
      ...(user !== undefined && pass !== undefined ? { auth: { user, pass } } : {}),
    },
    from,
    policy,
    enforceAllowlist: !allowlistEmpty,
    bots: c.bots,
    limits: c.limits,
    retry: { initialMs: parseDuration(c.retry.initial, 'mail.retry.initial'), maxMs: parseDuration(c.retry.max, 'mail.retry.max'), attempts: c.retry.attempts },
    uncertainGraceMs: parseDuration(c.uncertainGrace, 'mail.uncertainGrace'),
    compose: { from, version: VERSION, coverSummary: c.coverSummary, quoteContext: c.quoteContext, maxReferences: c.maxReferences, policy },
  };
}
