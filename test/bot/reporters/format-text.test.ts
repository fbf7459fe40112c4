import { describe, expect, it } from 'vitest';
import { formatText } from '../../../bot/reporters/format-text.ts';
import { sampleDocument } from './doc.ts';

describe('formatText', () => {
  const plain = formatText(sampleDocument(), { color: false });
  const lines = plain.split('\n');

  it('prints compiler-style finding lines', () => {
    expect(lines).toContain('drivers/dma-buf/y.c:41: error: calls dma_buf_move_notify() [revoke/removed-api]');
  });

  it("groups findings under each patch's subject, in patch order", () => {
    const at = (s: string): number => lines.indexOf(s);
    expect(at('[PATCH v7 2/3] dma-buf: revoke part 2')).toBeGreaterThan(-1);
    expect(at('[PATCH v7 2/3] dma-buf: revoke part 2')).toBeLessThan(at('drivers/dma-buf/y.c:41: error: calls dma_buf_move_notify() [revoke/removed-api]'));
    expect(at('[PATCH v7 0/3] dma-buf: revoke')).toBeLessThan(at('[PATCH v7 2/3] dma-buf: revoke part 2'));
    expect(at('[PATCH v7 2/3] dma-buf: revoke part 2')).toBeLessThan(at('[PATCH v7 3/3] dma-buf: revoke part 3'));
  });

  it('names the patch when a finding has no file, and lists related locations', () => {
    expect(lines).toContain('patch 0: warning: cover speaks of a hang [dept/timeout-hides-deadlock]');
    expect(lines).toContain('drivers/dma-buf/y.c:40: note: [E]');
  });

  it('shows notes, series without findings and a summary line at the end', () => {
    expect(lines).toContain('note: reviewed hunks only');
    expect(plain).toContain('== cma: charge dmem (v1, 1/1 patches, complete) ==\nno findings');
    expect(lines.at(-2)).toBe(
      '2 series, 4 patches, 2 follow-ups, 1 skipped (1 no diff), 1 error; findings: 2 errors, 1 warning, 0 info',
    );
  });

  it('has no escape codes without colour and some with it', () => {
    expect(plain).not.toMatch(/\x1b\[/);
    expect(formatText(sampleDocument(), { color: true })).toMatch(/\x1b\[31m/);
  });
});
