import { z } from 'zod';
import { duration } from './watch.ts';


/** "Name <addr@domain>" or a bare address; no line breaks (they would become headers). */
const mailbox = z.string().min(3).regex(/^[^\r\n]*@[^\r\n]*$/, 'expected an address such as "deptbot <deptbot@example.org>"');

/** Senders the bot never answers: address globs ("syzbot*@*", "*@syzkaller.appspotmail.com") or "name:<substring>". */
export const DEFAULT_BOTS: readonly string[] = [
  'lkp@intel.com',
  'name:kernel test robot',
  'syzbot*@*',
  '*@syzkaller.appspotmail.com',
  'syzkaller*@googlegroups.com',
  'patchwork*@*',
  'name:patchwork',
  'bot@kernelci.org',
  'kernelci*@*',
  'ci_notify@linaro.org',
  'noreply@*',
  'no-reply@*',
  'mailer-daemon@*',
  'postmaster@*',
];

/**
 * `mail:` section of deptbot.config.yaml. Owned by the mail feature; every key has a default.
 * Secrets (SMTP user and password) come from the environment only, never from here.
 */
export const mailSection = z
  .object({
    /** Kill switch: false stops all sending at once (dry-run .eml files are still written). */
    enabled: z.boolean().default(true),
    /** Send by SMTP; false (the default) is dry-run: .eml files in the outbox directory. */
    send: z.boolean().default(false),
    /** The bot's own address; its domain also names the bot's Message-IDs. */
    from: mailbox.default('deptbot <deptbot@localhost>'),
    smtp: z
      .object({
        /** smtp://host:port (STARTTLS) or smtps://host:port (TLS from the start); --smtp overrides. */
        url: z.string().regex(/^smtps?:\/\/[^/@\s]+(:\d+)?\/?$/, 'expected smtp://host:port or smtps://host:port (credentials go in DEPTBOT_SMTP_USER/DEPTBOT_SMTP_PASSWORD)').default('smtp://localhost:587'),
        /** smtp:// only: 'required' refuses a server without STARTTLS, 'opportunistic' uses it when offered, 'off' never. */
        starttls: z.enum(['required', 'opportunistic', 'off']).default('required'),
        /** Give up on one connection attempt after this long. */
        timeout: duration.default('30s'),
      })
      .strict()
      .prefault({}),
    /** One summary reply to the cover letter: never, when there are findings, or always ("all clear" too). */
    coverSummary: z.enum(['off', 'findings', 'always']).default('off'),
    /** Lines of context quoted above the line a finding concerns. */
    quoteContext: z.number().int().min(0).max(20).default(3),
    /** References kept in a reply: the thread root and the nearest ones. */
    maxReferences: z.number().int().min(2).max(100).default(20),
    /** Recipient policy: a reply only ever goes to these lists and to addresses in these domains. */
    allow: z
      .object({
        lists: z.array(z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'expected a list address')).default([]),
        /** "kernel.org" also allows sub-domains such as "vger.kernel.org". */
        domains: z.array(z.string().regex(/^[A-Za-z0-9.-]+$/, 'expected a domain such as kernel.org')).default([]),
      })
      .strict()
      .prefault({}),
    cc: z
      .object({
        /** Keep the patch's To and Cc (reply to all); false keeps only the author and the lists. */
        original: z.boolean().default(true),
        /** At most this many Cc addresses; lists are kept first. */
        max: z.number().int().min(0).max(200).default(30),
        /** Address globs never copied, e.g. "stable@vger.kernel.org". */
        drop: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    /** Senders never answered (see DEFAULT_BOTS); replaces the default list when given. */
    bots: z.array(z.string().min(1)).default([...DEFAULT_BOTS]),
    limits: z
      .object({
        /** Mails per thread per day; more are dropped. */
        perThread: z.number().int().min(1).default(30),
        /** Mails per list per hour; more wait for the next hour. */
        perListPerHour: z.number().int().min(1).default(30),
        /** Mails per hour in all; more wait. */
        perHour: z.number().int().min(1).default(60),
      })
      .strict()
      .prefault({}),
    retry: z
      .object({
        /** First retry after a failed send; doubles up to max. */
        initial: duration.default('30s'),
        max: duration.default('1h'),
        /** Attempts before a mail is parked as failed. */
        attempts: z.number().int().min(1).default(10),
      })
      .strict()
      .prefault({}),
    /**
     * A mail a crash left mid-transaction may have been accepted: it waits this long for the list
     * to echo it (then it counts as sent) before it is sent once more.
     */
    uncertainGrace: duration.default('30m'),
  })
  .strict()
  .prefault({});

export type MailConfig = z.infer<typeof mailSection>;
