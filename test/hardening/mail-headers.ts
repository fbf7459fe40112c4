// Reading back the header block of a rendered mail: which fields it has, and that every line is
// a field or a fold (a stray CR or LF would let text from the input start a header of its own).
import { expect } from 'vitest';

/** Every header a reply of the bot may carry. */
export const OWN_HEADERS = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'mime-version', 'content-type', 'content-transfer-encoding', 'auto-submitted', 'x-auto-response-suppress', 'x-mailer', 'x-deptbot-version']);

/** Header names of rendered mail bytes; throws on a line that is neither a field nor a fold. */
export function headerNames(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  expect(head.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const names: string[] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line)) continue;
    const m = /^([!-9;-~]+):/.exec(line);
    expect(m, `not a header line: ${JSON.stringify(line.slice(0, 80))}`).not.toBeNull();
    names.push((m?.[1] ?? '').toLowerCase());
  }
  return names;
}
