import { describe, expect, it } from 'vitest';
import { acksExperiment } from '../../src/experiments/acksExperiment.ts';
import { failoverExperiment } from '../../src/experiments/failoverExperiment.ts';
import { groupSizingExperiment } from '../../src/experiments/groupSizingExperiment.ts';
import { keysExperiment } from '../../src/experiments/keysExperiment.ts';
import { orderingExperiment } from '../../src/experiments/orderingExperiment.ts';
import type { ExperimentResult } from '../../src/experiments/Experiment.ts';

// The experiments at their quick size on one seed: each measures what its claim says (the full tables in the
// README come from `kafka-sim experiment all`).
const quick = { seeds: 1, quick: true };
const row = (result: ExperimentResult, column: string, value: unknown) => result.table.rows.find((r) => r[column] === value) as Record<string, unknown>;

describe('experiments', () => {
  it('keys: a key stays in the partition murmur2 picks; null keys round-robin evenly', () => {
    const result = keysExperiment.run(quick);
    const keyed = row(result, 'mode', 'keyed (100 keys)');
    expect(keyed.keysSplit).toBe(0);
    expect(keyed.misplaced).toBe(0);
    expect(keyed.read).toBe(600);
    const roundRobin = row(result, 'mode', 'null keys, round-robin');
    for (let p = 0; p < 6; p++) expect(Number(roundRobin[`p${p}`])).toBeCloseTo(100 / 6, 1);
    expect(result.verdict.agrees).toBe(true);
    expect(result.plot.points).toHaveLength(18);
  });

  it('ordering: nothing out of order within a partition, records of different partitions interleaved', { timeout: 60_000 }, () => {
    const result = orderingExperiment.run(quick);
    for (const r of result.table.rows) expect(r.withinCount).toMatch(/^0 \/ \d+$/);
    expect(Number(String(row(result, 'partitions', 3).across).split(' ')[0])).toBeGreaterThan(0);
    expect(result.verdict.agrees).toBe(true);
  });

  it('acks: acks=all loses no acknowledged record under leader crashes, and waits longer than acks=1', { timeout: 120_000 }, () => {
    const result = acksExperiment.run(quick);
    expect(row(result, 'acks', 'all').lost).toBe('0');
    expect(Number(row(result, 'acks', 'all').p50)).toBeGreaterThan(Number(row(result, 'acks', '1').p50));
    expect(Number(row(result, 'acks', '0').p50)).toBeLessThan(Number(row(result, 'acks', '1').p50));
  });

  it('failover: writes stop for the session timeout after a crash, for request.timeout.ms after a power loss', { timeout: 120_000 }, () => {
    const result = failoverExperiment.run(quick);
    expect(result.table.rows).toHaveLength(4);
    for (const r of result.table.rows) {
      const windowMs = Number(r.window);
      const expected = r.kind === 'process crash' ? Number(r.session) : Math.max(Number(r.session), 30_000);
      expect(r.expected).toBe(expected);
      expect(windowMs).toBeGreaterThan(expected - 2_500);
      expect(windowMs).toBeLessThan(expected + 4_000);
    }
    expect(result.verdict.agrees).toBe(true);
  });

  it('group-sizing: members beyond the partition count idle, throughput stops growing, an idle member takes over', { timeout: 300_000 }, () => {
    const result = groupSizingExperiment.run(quick);
    expect(result.table.rows.map((r) => [r.size, r.active, r.idle])).toEqual([
      [1, 1, 0],
      [3, 3, 0],
      [6, 6, 0],
      [8, 6, 2],
    ]);
    const throughput = (size: number) => Number(row(result, 'size', size).throughput);
    expect(throughput(3)).toBeGreaterThan(2 * throughput(1));
    expect(throughput(8)).toBeLessThan(1.1 * throughput(6));
    // The crashed owner's partition moves after session.timeout.ms (10 s), not before.
    expect(Number(row(result, 'size', 8).takeover)).toBeGreaterThan(10_000);
    expect(result.verdict.agrees).toBe(true);
  });
});
