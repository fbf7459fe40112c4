import { z } from 'zod';
import { DURATION_PATTERN } from '../bot/watch/duration.ts';

/** "10m", "30s", "1h", "500ms"; a bare number is seconds (parsed by bot/watch/duration.ts). */
export const duration = z.string().regex(DURATION_PATTERN, 'expected a duration such as 10m, 30s or 500ms');

const imapSource = z
  .object({
    type: z.literal('imap'),
    /** imap://user@host:port/FOLDER or imaps://...; the password comes from DEPTBOT_IMAP_PASSWORD. */
    url: z.string().regex(/^imaps?:\/\//, 'expected imap://user@host:port/FOLDER or imaps://...'),
  })
  .strict();

const maildirSource = z.object({ type: z.literal('maildir'), path: z.string().min(1) }).strict();

const publicInboxSource = z
  .object({
    type: z.literal('public-inbox'),
    /** One epoch of a public-inbox v2 mirror (a git repository). */
    path: z.string().min(1),
    /** Command run in the repository before each poll, as argv; [] never fetches. Default: git fetch when a remote exists. */
    fetch: z.array(z.string()).optional(),
  })
  .strict();

/** `watch:` section of deptbot.config.yaml. Owned by the watch feature; every key has a default. */
export const watchSection = z
  .object({
    /** Where mail comes from. Empty = ./inbox as a Maildir (created when missing). */
    sources: z.array(z.discriminatedUnion('type', [imapSource, maildirSource, publicInboxSource])).default([]),
    /** An incomplete series is reviewed after this long without a new patch, with a note. */
    quietPeriod: duration.default('10m'),
    /** SQLite state file. */
    state: z.string().min(1).default('./deptbot-state.sqlite'),
    /** Directory each review is written to (dry-run: nothing is sent anywhere). */
    outbox: z.string().min(1).default('./outbox'),
    format: z.enum(['text', 'json']).default('text'),
    /** IMAP keyword set on processed mail when the server allows keywords; false = never flag. */
    keyword: z
      .union([z.string().regex(/^\$?[A-Za-z0-9_.-]+$/, 'expected an IMAP keyword such as $DeptbotSeen'), z.literal(false)])
      .default('$DeptbotSeen'),
    /** public-inbox: how often to fetch and look for new commits. */
    pollInterval: duration.default('5m'),
    /** Maildir: full rescan interval (file-system events wake it earlier). */
    rescanInterval: duration.default('30s'),
    /** IMAP: reconnect backoff, doubling from min up to max. */
    reconnectMin: duration.default('1s'),
    reconnectMax: duration.default('60s'),
  })
  .strict()
  .prefault({});
