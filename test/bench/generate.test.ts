import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTraffic, rewriteMessage } from '../../bench/generate.ts';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import { openInputs } from '../../bot/sources/open-inputs.ts';
import { corpusPath } from '../helpers/corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'deptbot-gen-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(path: string) {
  const ids: string[] = [];
  const subjects: string[] = [];
  for (const source of openInputs([path])) {
    for await (const raw of source.messages()) {
      const msg = await parseMessage(raw);
      ids.push(msg.id);
      subjects.push(msg.subject.raw);
    }
  }
  return { ids, subjects };
}

describe('generateTraffic', () => {
  it('writes N copies of an archive plus generated series as a valid mbox with unique Message-IDs', async () => {
    const archive = corpusPath('series/dma-buf-revoke-v7.mbox');
    const original = await readBack(archive);
    const out = join(dir, 'x2.mbox');
    const result = await generateTraffic({ archive, out, factor: 2, every: 3 });

    const back = await readBack(out);
    expect(back.ids).toHaveLength(result.messages);
    expect(result.generatedSeries).toBe(2 * Math.floor(original.ids.length / 3));
    expect(result.messages).toBe(2 * original.ids.length + 4 * result.generatedSeries);
    expect(new Set(back.ids).size).toBe(back.ids.length);
    expect(back.ids.filter((id) => !id.startsWith('gen.')).slice(0, original.ids.length)).toEqual(original.ids);
    expect(back.subjects.some((s) => /\] g2 /.test(s))).toBe(true);
    expect(readFileSync(out).length).toBe(result.bytes);
  });

  it('rewrites ids in folded References, the change-id and the code lines of diffs, but not addresses', () => {
    const lines = [
      'From x Mon Jan  1 00:00:00 2024',
      'From: A <a@example.org>',
      'Subject: [PATCH v2 1/2] drm: fix it',
      'Message-ID: <one@example.org>',
      'References: <zero@example.org>',
      ' <half@example.org>',
      '',
      'change-id: 20240101-fix',
      'Cc: <b@example.org>',
      'diff --git a/a.c b/a.c',
      '--- a/a.c',
      '+++ b/a.c',
      '@@ -1,2 +1,2 @@',
      ' \tint x;',
      '-\tfoo();',
      '+\tbar();',
      '-- ',
    ];
    expect(rewriteMessage(lines, 3)).toEqual([
      'From x Mon Jan  1 00:00:00 2024',
      'From: A <a@example.org>',
      'Subject: [PATCH v2 1/2] g3 drm: fix it',
      'Message-ID: <one.g3@example.org>',
      'References: <zero.g3@example.org>',
      ' <half.g3@example.org>',
      '',
      'change-id: 20240101-fix-g3',
      'Cc: <b@example.org>',
      'diff --git a/a.c b/a.c',
      '--- a/a.c',
      '+++ b/a.c',
      '@@ -1,2 +1,2 @@',
      ' \tint x;  ',
      '-\tfoo();  ',
      '+\tbar();  ',
      '-- ',
    ]);
  });
});
