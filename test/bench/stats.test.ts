import { describe, expect, it } from 'vitest';
import { linearFit, percentile, rates, summaryLine } from '../../bench/stats.ts';

describe('bench stats', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const samples = [9, 1, 5, 3, 7, 2, 8, 4, 6, 10];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
    expect(samples[0]).toBe(9);
  });

  it('turns a pass into messages/s, MB/s and MB of RSS', () => {
    expect(rates({ wallMs: 2000, messages: 1000, bytes: 50e6, peakRssKb: 2048 })).toEqual({ msgsPerSec: 500, mbPerSec: 25, peakRssMb: 2 });
  });

  it('fits a line and says how far the worst point is from it', () => {
    const straight = linearFit([{ x: 1, y: 10 }, { x: 2, y: 20 }, { x: 4, y: 40 }]);
    expect(straight.slope).toBeCloseTo(10);
    expect(straight.intercept).toBeCloseTo(0);
    expect(straight.maxRelDeviation).toBeCloseTo(0);
    expect(linearFit([{ x: 1, y: 10 }, { x: 2, y: 20 }, { x: 4, y: 80 }]).maxRelDeviation).toBeGreaterThan(0.1);
  });

  it('prints the summary line in the exact form the issue asks for', () => {
    expect(summaryLine(1.234, 1234.4, 387.6)).toBe('bench: ratio 1.23, 1234 msgs/s, peak RSS 388 MB');
  });
});
