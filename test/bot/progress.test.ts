import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PROGRESS_MIN_BYTES, startProgress, wantsProgress } from '../../bot/progress.ts';

describe('wantsProgress', () => {
  it('shows a bar only on a terminal with a few MB of known input', () => {
    expect(wantsProgress({ isTTY: true, totalBytes: PROGRESS_MIN_BYTES })).toBe(true);
    expect(wantsProgress({ isTTY: false, totalBytes: 100 * PROGRESS_MIN_BYTES })).toBe(false);
    expect(wantsProgress({ isTTY: true, totalBytes: PROGRESS_MIN_BYTES - 1 })).toBe(false);
    expect(wantsProgress({ isTTY: true, totalBytes: undefined })).toBe(false);
  });
});

describe('startProgress', () => {
  it('writes messages and MB/s to its stream, without a bar for compressed input', () => {
    for (const compressed of [false, true]) {
      const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; cursorTo(): boolean; clearLine(): boolean; moveCursor(): boolean };
      Object.assign(stream, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      const p = startProgress(stream, 10_000_000, compressed);
      p.tick(2_000_000);
      p.log('deptbot: x.mbox#3: bad\n');
      p.stop();
      expect(text).toMatch(/messages \| [\d.]+ MB \| [\d.]+ MB\/s/);
      expect(text.includes('%')).toBe(!compressed);
      expect(text).toContain('\r\x1b[2Kdeptbot: x.mbox#3: bad\n');
    }
  });
});
