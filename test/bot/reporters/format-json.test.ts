import { describe, expect, it } from 'vitest';
import { formatJson } from '../../../bot/reporters/format-json.ts';
import { sampleDocument } from './doc.ts';

describe('formatJson', () => {
  const out = JSON.parse(formatJson(sampleDocument(), { color: false }));

  it('has the documented top-level fields', () => {
    expect(out.tool).toEqual({ name: 'deptbot', version: '0.1.0' });
    expect(out.errors).toEqual([{ input: 'missing.mbox', message: 'no such file or directory' }]);
    expect(out.series).toHaveLength(2);
  });

  it('describes a series with its cover, patches and completeness', () => {
    const s = out.series[0];
    expect(s).toMatchObject({ subject: 'dma-buf: revoke', revision: 7, expected: 3, complete: true, missing: [] });
    expect(s.cover).toEqual({ messageId: 'dma-buf: revoke-v7-0@test', subject: '[PATCH v7 0/3] dma-buf: revoke' });
    expect(s.patches[1]).toEqual({
      index: 2,
      messageId: 'dma-buf: revoke-v7-2@test',
      subject: '[PATCH v7 2/3] dma-buf: revoke part 2',
      author: 'Ada Example <ada@example.org>',
      files: ['drivers/demo/part2.c'],
    });
  });

  it('gives findings in patch order with the message id of their patch, null where unknown', () => {
    const f = out.series[0].findings;
    expect(f.map((x: { patch: number }) => x.patch)).toEqual([0, 2, 3]);
    expect(f[0]).toMatchObject({ ruleId: 'dept/timeout-hides-deadlock', severity: 'warning', messageId: 'dma-buf: revoke-v7-0@test', file: null, line: null });
    expect(f[1]).toEqual({
      ruleId: 'revoke/removed-api',
      severity: 'error',
      patch: 2,
      messageId: 'dma-buf: revoke-v7-2@test',
      file: 'drivers/dma-buf/y.c',
      line: 41,
      message: 'calls dma_buf_move_notify()',
      related: [],
    });
    expect(f[2].related.map((r: { label: string }) => r.label)).toEqual(['[S]', '[W]', '[E]']);
  });

  it('reports a missing cover as null and an incomplete series with its missing counters', () => {
    expect(out.series[1]).toMatchObject({ cover: null, complete: true, expected: 1 });
    expect(out.series[0].notes).toEqual(['reviewed hunks only']);
  });
});

describe('displaySubject', () => {
  it('rebuilds the patch tags without list tags or Re:', async () => {
    const { displaySubject } = await import('../../../bot/reporters/document.ts');
    const base = { raw: '', isReply: false, isPatch: true, prefixes: [] as string[], rfc: false, resend: false };
    expect(displaySubject({ ...base, text: 'dma-buf: x', revision: 7, counter: 1, expected: 8 })).toBe('[PATCH v7 1/8] dma-buf: x');
    expect(displaySubject({ ...base, text: 'x', revision: 2, counter: 3, expected: 12, prefixes: ['net-next'], rfc: true })).toBe(
      '[RFC PATCH net-next v2 03/12] x',
    );
    expect(displaySubject({ ...base, text: 'z', revision: 1, counter: 1, expected: 1, resend: true })).toBe('[PATCH RESEND] z');
    expect(displaySubject({ ...base, text: 'cover', revision: 1, counter: 0, expected: 2 })).toBe('[PATCH 0/2] cover');
  });
});
