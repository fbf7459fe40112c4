import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeaderBlock } from '../../../bot/mail/header-block.ts';
import { KEPT_HEADERS, MAILPARSER_FIELDS } from '../../../bot/mail/header-names.ts';
import { LIST_FIELDS } from '../../../bot/mail/lazy-addresses.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { BOT_HEADER } from '../../../bot/mail-out/headers.ts';
import { REPLY_HEADERS } from '../../../bot/slim-review.ts';
import { repoRoot } from '../../helpers/corpus.ts';
import { raw } from '../../helpers/mail-fixtures.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Field names read by literal from a message's headers anywhere in bot/. */
function namesReadBySources(): string[] {
  const names = new Set<string>();
  for (const file of sources(join(repoRoot, 'bot'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\.headers\.(?:get|has)\('([^']+)'\)/g)) names.add(m[1] as string);
  }
  return [...names].sort();
}

const MAIL = [
  'Received: from relay.example.org by mx.example.org; Tue, 3 Mar 2026 10:00:00 +0000',
  'DKIM-Signature: v=1; a=rsa-sha256;',
  '  b=AAAA',
  'From: A U Thor <author@example.org>',
  'To: list@example.org',
  'Subject: [PATCH] x',
  'Message-ID: <m1@example.org>',
  'List-Id: <dri-devel.lists.freedesktop.org>',
  'X-Spam-Score: 0.1',
  'X-Change-ID: 20260303-x-1',
  '',
  'body',
  '',
].join('\n');

describe('the header fields a message keeps', () => {
  it('include every field the sources read by name', () => {
    const read = namesReadBySources();
    // The scan must find the known readers, or it proves nothing.
    expect(read).toEqual(expect.arrayContaining(['auto-submitted', 'list-id', 'x-change-id', 'x-original-from']));
    expect(read.filter((n) => !KEPT_HEADERS.has(n))).toEqual([]);
  });

  it('include what replies, mailparser and the lazy address lists read through constants', () => {
    const viaConstants = [...REPLY_HEADERS, ...MAILPARSER_FIELDS, ...LIST_FIELDS.map(([, header]) => header), BOT_HEADER.toLowerCase()];
    expect(viaConstants.filter((n) => !KEPT_HEADERS.has(n))).toEqual([]);
  });

  it('are the only ones readHeaderBlock keeps when asked, first occurrences unfolded as before', () => {
    const data = Buffer.from(MAIL);
    const all = readHeaderBlock(data).fields;
    const kept = readHeaderBlock(data, 0, KEPT_HEADERS).fields;
    expect([...all.keys()]).toContain('dkim-signature');
    expect([...kept.keys()]).toEqual(['from', 'to', 'subject', 'message-id', 'list-id', 'x-change-id']);
    for (const [name, value] of kept) expect(value).toBe(all.get(name));
    expect(readHeaderBlock(data, 0, KEPT_HEADERS).bodyStart).toBe(readHeaderBlock(data).bodyStart);
  });

  it('are what a parsed message holds: trace and spam fields are not kept', async () => {
    const m = await parseMessage(raw(MAIL));
    expect(m.headers.get('list-id')).toBe('<dri-devel.lists.freedesktop.org>');
    expect(m.headers.has('received')).toBe(false);
    expect(m.headers.has('x-spam-score')).toBe(false);
    expect(m.body).toBe('body\n');
  });
});
