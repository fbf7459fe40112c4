// Small messages written in tests: a raw RFC 5322 text from headers and a body, and a tiny diff.
import type { RawMessage } from '../../bot/model.ts';

export interface MailSpec {
  subject: string;
  id?: string | null;
  from?: string;
  inReplyTo?: string;
  references?: string[];
  date?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A one-hunk diff of drivers/x.c adding `line`. */
export function tinyDiff(line = 'foo();', path = 'drivers/x.c'): string {
  return [
    `diff --git a/${path} b/${path}`,
    'index 1111111..2222222 100644',
    `--- a/${path}`,
    `+++ b/${path}`,
    '@@ -1,3 +1,4 @@',
    ' a',
    ' b',
    `+${line}`,
    ' c',
    '',
  ].join('\n');
}

export function patchBody(message = 'Do the thing.', diff = tinyDiff()): string {
  return `${message}\n\nSigned-off-by: A U Thor <author@example.org>\n---\n drivers/x.c | 1 +\n 1 file changed, 1 insertion(+)\n\n${diff}-- \n2.43.0\n`;
}

export function mailText(spec: MailSpec): string {
  const lines = [`From: ${spec.from ?? 'A U Thor <author@example.org>'}`, 'To: list@example.org', `Subject: ${spec.subject}`];
  lines.push(`Date: ${spec.date ?? 'Tue, 4 Mar 2025 10:00:00 +0000'}`);
  if (spec.id !== null) lines.push(`Message-ID: <${spec.id ?? 'x@example.org'}>`);
  if (spec.inReplyTo) lines.push(`In-Reply-To: <${spec.inReplyTo}>`);
  if (spec.references) lines.push(`References: ${spec.references.map((r) => `<${r}>`).join(' ')}`);
  for (const [k, v] of Object.entries(spec.headers ?? {})) lines.push(`${k}: ${v}`);
  return `${lines.join('\n')}\n\n${spec.body ?? ''}`;
}

export function raw(text: string | Buffer, locator = '#1'): RawMessage {
  return { source: 'test', locator, data: typeof text === 'string' ? Buffer.from(text, 'utf8') : text };
}
