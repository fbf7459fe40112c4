// Flags over config over the embedded default: what one `deptbot watch` run uses.
import { resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { UsageError } from '../errors.ts';
import { parseDuration } from './duration.ts';
import type { OutboxFormat } from './outbox-reporter.ts';

export interface WatchFlags {
  imap?: string[];
  maildir?: string[];
  publicInbox?: string[];
  /** Shell-free argv for public-inbox fetches, split on spaces ("" = never fetch). */
  fetchCommand?: string;
  once?: boolean;
  quietPeriod?: string;
  pollInterval?: string;
  state?: string;
  outbox?: string;
  format?: string;
}

export type SourceSpec =
  | { type: 'imap'; url: string }
  | { type: 'maildir'; path: string; create: boolean }
  | { type: 'public-inbox'; path: string; fetch?: string[] };

export interface WatchSettings {
  sources: SourceSpec[];
  once: boolean;
  quietMs: number;
  pollMs: number;
  rescanMs: number;
  reconnect: { initialMs: number; maxMs: number };
  statePath: string;
  outbox: string;
  format: OutboxFormat;
  keyword: string | false;
}

export const DEFAULT_INBOX = './inbox';

export function resolveSettings(flags: WatchFlags, config: Config, cwd: string): WatchSettings {
  const w = config.watch;
  const fetch = flags.fetchCommand === undefined ? undefined : flags.fetchCommand.split(/\s+/).filter(Boolean);
  const fromFlags: SourceSpec[] = [
    ...(flags.imap ?? []).map((url): SourceSpec => ({ type: 'imap', url })),
    ...(flags.maildir ?? []).map((p): SourceSpec => ({ type: 'maildir', path: resolve(cwd, p), create: false })),
    ...(flags.publicInbox ?? []).map((p): SourceSpec => ({ type: 'public-inbox', path: resolve(cwd, p), ...(fetch ? { fetch } : {}) })),
  ];
  const fromConfig = w.sources.map((s): SourceSpec => {
    if (s.type === 'imap') return s;
    if (s.type === 'maildir') return { type: 'maildir', path: resolve(cwd, s.path), create: false };
    const f = fetch ?? s.fetch;
    return { type: 'public-inbox', path: resolve(cwd, s.path), ...(f ? { fetch: f } : {}) };
  });
  const sources =
    fromFlags.length > 0
      ? fromFlags
      : fromConfig.length > 0
        ? fromConfig
        : [{ type: 'maildir' as const, path: resolve(cwd, DEFAULT_INBOX), create: true }];
  const format = flags.format ?? w.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format: "${format}" is not text or json`);
  return {
    sources,
    once: flags.once === true,
    quietMs: parseDuration(flags.quietPeriod ?? w.quietPeriod, '--quiet-period'),
    pollMs: parseDuration(flags.pollInterval ?? w.pollInterval, '--poll-interval'),
    rescanMs: parseDuration(w.rescanInterval, 'watch.rescanInterval'),
    reconnect: {
      initialMs: parseDuration(w.reconnectMin, 'watch.reconnectMin'),
      maxMs: parseDuration(w.reconnectMax, 'watch.reconnectMax'),
    },
    statePath: resolve(cwd, flags.state ?? w.state),
    outbox: resolve(cwd, flags.outbox ?? w.outbox),
    format,
    keyword: w.keyword,
  };
}
