import { describe, expect, it } from 'vitest';
import { bounded, estimate, formatEstimate, percentile } from '../../src/experiments/stats.ts';
import { markdownTable } from '../../src/experiments/markdown.ts';
import { partitionStalls } from '../../src/experiments/runs.ts';
import type { GroupLog } from '../../src/history/GroupNote.ts';

describe('experiment statistics', () => {
  it('gives the mean with a Student-t 95% interval', () => {
    // Mean 2, sample standard deviation 1, n = 3: t(0.975, 2) = 4.303, half-width 4.303 / sqrt(3) = 2.484.
    const e = estimate([1, 2, 3]);
    expect(e.mean).toBe(2);
    expect(e.high - e.mean).toBeCloseTo(2.484, 3);
    expect(e.mean - e.low).toBeCloseTo(2.484, 3);
    expect(estimate([5])).toEqual({ mean: 5, low: 5, high: 5, n: 1 });
    expect(() => estimate([])).toThrow(/no samples/);
  });

  it('cuts an interval to what the quantity can be, and prints it as mean [low, high]', () => {
    const e = bounded(estimate([0, 0, 3]), 0, 100);
    expect(e.low).toBe(0);
    expect(formatEstimate(e, 1)).toMatch(/^1 \[0, \d+(\.\d)?\]$/);
    expect(formatEstimate(estimate([2, 2]))).toBe('2');
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([], 50)).toBeNaN();
  });

  it('writes a Markdown table, escaping pipes', () => {
    const text = markdownTable({ columns: [{ key: 'a', title: 'A' }, { key: 'b', title: 'B|C' }], rows: [{ a: 1, b: 'x|y' }] });
    expect(text).toBe('| A | B\\|C |\n|---|---|\n| 1 | x\\|y |');
  });
});

describe('partition stalls', () => {
  const processed = (partition: number, timeMs: number) => ({ group: 'processed' as const, groupId: 'g', memberId: 'm', generation: 1, topic: 't', partition, offset: 0, value: 'v', node: 'consumer-1', timeMs });

  it('finds each partition\'s longest gap and the time in gaps over the threshold, the window edges counting', () => {
    const log = [processed(0, 100), processed(0, 150), processed(0, 900), processed(1, 500), { group: 'down' as const, node: 'consumer-2', timeMs: 600 }];
    const stalls = partitionStalls(log as unknown as GroupLog, [0, 1, 2], 0, 1_000, 200);
    expect(stalls.get(0)).toEqual({ longestMs: 750, stalledMs: 750 });
    expect(stalls.get(1)).toEqual({ longestMs: 500, stalledMs: 1_000 });
    expect(stalls.get(2)).toEqual({ longestMs: 1_000, stalledMs: 1_000 });
  });
});
