// Dry-run delivery: each mail as an .eml file in the outbox directory. The name comes from the
// deterministic Message-ID (hex only, never a path from the input), and the file is written under a
// temporary name and renamed, so a repeat replaces it and a crash never leaves half a file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** "<patch-or-cover>-<32 hex>.eml": only [a-z0-9.-], whatever the Message-ID holds. */
export function emlFileName(messageId: string, patch: number): string {
  const local = messageId.slice(0, messageId.indexOf('@') < 0 ? undefined : messageId.indexOf('@'));
  const safe = local.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'mail';
  return `${patch === 0 ? 'cover' : `patch${patch}`}-${safe}.eml`;
}

export function writeEml(dir: string, name: string, raw: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, raw);
  renameSync(tmp, path);
  return path;
}
