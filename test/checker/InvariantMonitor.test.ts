import { describe, expect, it } from 'vitest';
import { MAX_EXAMPLES } from '../../src/checker/CheckResult.ts';
import type { ClusterSample, LeaderNote, ReplicaSample } from '../../src/checker/ClusterSample.ts';
import { InvariantMonitor, type InvariantResult } from '../../src/checker/InvariantMonitor.ts';
import type { RecordBatch } from '../../src/protocol/messages.ts';
import { batchSizeBytes } from '../../src/protocol/recordSize.ts';

// A batch of records keyed 'k' with the given values, as a leader in `leaderEpoch` would stamp it.
function batch(baseOffset: number, leaderEpoch: number, ...values: string[]): RecordBatch {
  const records = values.map((value) => ({ key: 'k', value }));
  return { baseOffset, leaderEpoch, producerId: -1, producerEpoch: -1, baseSequence: -1, sizeInBytes: batchSizeBytes(records), records };
}

interface ReplicaOptions {
  highWatermark?: number;
  isLeader?: boolean;
  leaderEpoch?: number;
  incarnation?: string;
}

// A replica holding `batches`; its HW defaults to its log end.
function replica(broker: number, batches: readonly RecordBatch[], options: ReplicaOptions = {}): ReplicaSample {
  const last = batches[batches.length - 1];
  const logEndOffset = last === undefined ? 0 : last.baseOffset + last.records.length;
  const { highWatermark = logEndOffset, isLeader = false, leaderEpoch = 0, incarnation } = options;
  return { broker, isLeader, leaderEpoch, highWatermark, logEndOffset, batches, ...(incarnation === undefined ? {} : { incarnation }) };
}

function sample(atMs: number, partitions: Record<string, ReplicaSample[]>): ClusterSample {
  return { atMs, partitions };
}

function leaderNote(partition: number, leaderEpoch: number, broker: number): LeaderNote {
  return { invariant: 'leader', topic: 't', partition, leaderEpoch, broker };
}

function resultOf(monitor: InvariantMonitor, invariant: string): InvariantResult {
  const result = monitor.results().find((r) => r.invariant === invariant);
  if (result === undefined) throw new Error(`no result for ${invariant}`);
  return result;
}

const valid = (invariant: string): InvariantResult => ({ invariant, valid: true, violations: 0, examples: [] });

describe('InvariantMonitor', () => {
  it('reports every invariant, in a fixed order, valid before anything is observed', () => {
    expect(new InvariantMonitor().results()).toEqual([
      valid('single-leader-per-epoch'),
      valid('log-matching'),
      valid('leader-hw-monotonic'),
    ]);
  });

  describe('log-matching', () => {
    it('passes replicas that share batch objects, and copies with equal records cut into other batches', () => {
      const b0 = batch(0, 1, 'a', 'b', 'c');
      const b1 = batch(3, 2, 'd', 'e');
      const monitor = new InvariantMonitor();
      monitor.observeSample(
        sample(100, {
          't-0': [replica(1, [b0, b1]), replica(2, [b0, b1]), replica(3, [batch(0, 1, 'a'), batch(1, 1, 'b', 'c'), batch(3, 2, 'd', 'e')])],
          't-1': [replica(1, [])],
          't-2': [],
        }),
      );
      expect(resultOf(monitor, 'log-matching')).toEqual(valid('log-matching'));
    });

    it('reports the first offset below the smallest HW where records differ, with every replica\'s record there', () => {
      const shared = batch(0, 1, 'a', 'b');
      const monitor = new InvariantMonitor();
      monitor.observeSample(
        sample(250, {
          't-0': [
            replica(2, [shared, batch(2, 2, 'c', 'x')], { highWatermark: 4 }),
            replica(1, [shared, batch(2, 2, 'c', 'd')], { highWatermark: 4, isLeader: true, leaderEpoch: 2 }),
            replica(3, [shared, batch(2, 2, 'c', 'y', 'z')], { highWatermark: 5 }),
          ],
        }),
      );
      expect(resultOf(monitor, 'log-matching')).toEqual({
        invariant: 'log-matching',
        valid: false,
        violations: 1,
        examples: [
          {
            atMs: 250,
            key: 't-0',
            offset: 3,
            minHighWatermark: 4,
            replicas: [
              { broker: 1, isLeader: true, leaderEpoch: 2, highWatermark: 4, record: { key: 'k', value: 'd', leaderEpoch: 2 } },
              { broker: 2, isLeader: false, leaderEpoch: 0, highWatermark: 4, record: { key: 'k', value: 'x', leaderEpoch: 2 } },
              { broker: 3, isLeader: false, leaderEpoch: 0, highWatermark: 5, record: { key: 'k', value: 'y', leaderEpoch: 2 } },
            ],
          },
        ],
      });
    });

    it('tells records apart by key and by the leader epoch of the batch holding them', () => {
      const monitor = new InvariantMonitor();
      const otherKey: RecordBatch = { ...batch(0, 1), records: [{ key: null, value: 'a' }] };
      monitor.observeSample(
        sample(0, {
          't-0': [replica(1, [batch(0, 1, 'a')]), replica(2, [batch(0, 2, 'a')])],
          't-1': [replica(1, [batch(0, 1, 'a')]), replica(2, [otherKey])],
        }),
      );
      const { violations, examples } = resultOf(monitor, 'log-matching');
      expect(violations).toBe(2);
      expect(examples).toMatchObject([
        { key: 't-0', offset: 0, replicas: [{ record: { leaderEpoch: 1 } }, { record: { leaderEpoch: 2 } }] },
        { key: 't-1', offset: 0, replicas: [{ record: { key: 'k' } }, { record: { key: null } }] },
      ]);
    });

    it('allows logs to differ at and above the smallest HW, and reports them once the HW passes the difference', () => {
      const shared = batch(0, 1, 'a', 'b');
      const leaderLog = [shared, batch(2, 2, 'c')];
      const followerLog = [shared, batch(2, 1, 'x')];
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, leaderLog, { highWatermark: 3 }), replica(2, followerLog, { highWatermark: 2 })] }));
      expect(resultOf(monitor, 'log-matching').valid).toBe(true);
      monitor.observeSample(sample(400, { 't-0': [replica(1, leaderLog, { highWatermark: 3 }), replica(2, followerLog, { highWatermark: 3 })] }));
      expect(resultOf(monitor, 'log-matching')).toMatchObject({ valid: false, violations: 1, examples: [{ atMs: 400, offset: 2, minHighWatermark: 3 }] });
    });

    it('counts a divergence seen in many samples once, and another value at that offset again', () => {
      const shared = batch(0, 1, 'a');
      const monitor = new InvariantMonitor();
      for (const atMs of [100, 200, 300]) {
        monitor.observeSample(sample(atMs, { 't-0': [replica(1, [shared, batch(1, 1, 'b')]), replica(2, [shared, batch(1, 1, 'x')])] }));
      }
      expect(resultOf(monitor, 'log-matching')).toMatchObject({ violations: 1, examples: [{ atMs: 100, offset: 1 }] });
      monitor.observeSample(sample(400, { 't-0': [replica(1, [shared, batch(1, 1, 'b')]), replica(2, [shared, batch(1, 1, 'y')])] }));
      expect(resultOf(monitor, 'log-matching')).toMatchObject({ violations: 2, examples: [{ atMs: 100 }, { atMs: 400 }] });
    });

    it('catches a replica that truncated into the verified prefix and grew back to the same length between samples', () => {
      const log = [batch(0, 1, 'a'), batch(1, 1, 'b'), batch(2, 1, 'c')];
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, log), replica(2, log)] }));
      const regrown = [log[0] as RecordBatch, batch(1, 2, 'x'), batch(2, 2, 'y')];
      monitor.observeSample(sample(200, { 't-0': [replica(1, log), replica(2, regrown)] }));
      expect(resultOf(monitor, 'log-matching')).toMatchObject({ valid: false, examples: [{ atMs: 200, offset: 1 }] });
    });

    it('catches a replica whose log became shorter than the verified prefix and differs below the smallest HW', () => {
      const log = [batch(0, 1, 'a'), batch(1, 1, 'b'), batch(2, 1, 'c')];
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, log), replica(2, log)] }));
      monitor.observeSample(sample(200, { 't-0': [replica(1, log), replica(2, [log[0] as RecordBatch, batch(1, 2, 'x')])] }));
      expect(resultOf(monitor, 'log-matching')).toMatchObject({ valid: false, examples: [{ atMs: 200, offset: 1, minHighWatermark: 2 }] });
    });

    it('walks the logs again when the replica set changed, even if every log still holds its last verified batch', () => {
      const tail = batch(1, 1, 'b');
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, [batch(0, 1, 'a'), tail]), replica(2, [batch(0, 1, 'a'), tail])] }));
      monitor.observeSample(sample(200, { 't-0': [replica(1, [batch(0, 1, 'a'), tail]), replica(3, [batch(0, 1, 'z'), tail])] }));
      expect(resultOf(monitor, 'log-matching')).toMatchObject({ valid: false, examples: [{ atMs: 200, offset: 0 }] });
    });

    it('does not read the verified prefix again while its last batch is still in place', () => {
      const log = [batch(0, 1, 'a'), batch(1, 1, 'b'), batch(2, 1, 'c', 'd')];
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, log, { highWatermark: 3 }), replica(2, log, { highWatermark: 3 })] }));
      const read = new Set<number>();
      const watched = (batches: RecordBatch[]): RecordBatch[] =>
        new Proxy(batches, {
          get(target, property, receiver) {
            if (typeof property === 'string' && /^\d+$/.test(property)) read.add(Number(property));
            return Reflect.get(target, property, receiver) as unknown;
          },
        });
      const grown = [...log, batch(4, 1, 'e')];
      monitor.observeSample(sample(200, { 't-0': [replica(1, watched(grown)), replica(2, watched(grown))] }));
      expect(resultOf(monitor, 'log-matching').valid).toBe(true);
      // The batch holding offset 2 (the last verified) is read to check it is still there; the ones before are not.
      expect(Math.min(...read)).toBe(2);
    });

    it(`keeps ${MAX_EXAMPLES} examples and counts every distinct divergence`, () => {
      const partitions: Record<string, ReplicaSample[]> = {};
      for (let p = 0; p < MAX_EXAMPLES + 2; p++) partitions[`t-${p}`] = [replica(1, [batch(0, 1, 'a')]), replica(2, [batch(0, 1, 'b')])];
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(0, partitions));
      const result = resultOf(monitor, 'log-matching');
      expect(result.violations).toBe(MAX_EXAMPLES + 2);
      expect(result.examples).toHaveLength(MAX_EXAMPLES);
    });
  });

  describe('single-leader-per-epoch', () => {
    it('fails when two brokers lead one partition in the same epoch', () => {
      const monitor = new InvariantMonitor();
      monitor.observeLeader(leaderNote(0, 3, 1), 100);
      monitor.observeLeader(leaderNote(0, 3, 2), 700);
      expect(resultOf(monitor, 'single-leader-per-epoch')).toEqual({
        invariant: 'single-leader-per-epoch',
        valid: false,
        violations: 1,
        examples: [{ atMs: 700, key: 't-0', leaderEpoch: 3, brokers: [1, 2], firstNotedAtMs: 100 }],
      });
    });

    it('passes a broker noting its leadership again, another broker in a new epoch, and another partition', () => {
      const monitor = new InvariantMonitor();
      monitor.observeLeader(leaderNote(0, 3, 1), 100);
      monitor.observeLeader(leaderNote(0, 3, 1), 200);
      monitor.observeLeader(leaderNote(0, 4, 2), 300);
      monitor.observeLeader(leaderNote(1, 3, 2), 300);
      expect(resultOf(monitor, 'single-leader-per-epoch')).toEqual(valid('single-leader-per-epoch'));
    });

    it('also fails when a sample shows a broker believing it leads an epoch another broker noted', () => {
      const monitor = new InvariantMonitor();
      monitor.observeLeader(leaderNote(0, 3, 1), 100);
      monitor.observeSample(sample(400, { 't-0': [replica(2, [], { isLeader: true, leaderEpoch: 3 })] }));
      expect(resultOf(monitor, 'single-leader-per-epoch')).toMatchObject({ violations: 1, examples: [{ atMs: 400, brokers: [1, 2] }] });
    });
  });

  describe('leader-hw-monotonic', () => {
    const log = [batch(0, 2, 'a', 'b', 'c', 'd')];

    it('fails when a leader\'s HW goes back within its epoch, and counts it once', () => {
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, log, { isLeader: true, leaderEpoch: 2, highWatermark: 3 })] }));
      monitor.observeSample(sample(200, { 't-0': [replica(1, log, { isLeader: true, leaderEpoch: 2, highWatermark: 4 })] }));
      monitor.observeSample(sample(300, { 't-0': [replica(1, log, { isLeader: true, leaderEpoch: 2, highWatermark: 1 })] }));
      monitor.observeSample(sample(400, { 't-0': [replica(1, log, { isLeader: true, leaderEpoch: 2, highWatermark: 1 })] }));
      expect(resultOf(monitor, 'leader-hw-monotonic')).toEqual({
        invariant: 'leader-hw-monotonic',
        valid: false,
        violations: 1,
        examples: [{ atMs: 300, key: 't-0', broker: 1, leaderEpoch: 2, previousHighWatermark: 4, previousAtMs: 200, highWatermark: 1 }],
      });
    });

    it('passes a follower\'s HW going back, and a new epoch or another leader starting lower', () => {
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, log, { isLeader: true, leaderEpoch: 2, highWatermark: 4 }), replica(2, log, { highWatermark: 4 })] }));
      monitor.observeSample(sample(200, { 't-0': [replica(1, log, { isLeader: true, leaderEpoch: 3, highWatermark: 2 }), replica(2, log, { highWatermark: 1 })] }));
      monitor.observeSample(sample(300, { 't-0': [replica(1, log, { highWatermark: 2 }), replica(2, log, { isLeader: true, leaderEpoch: 4, highWatermark: 1 })] }));
      expect(resultOf(monitor, 'leader-hw-monotonic')).toEqual(valid('leader-hw-monotonic'));
    });

    it('judges each broker\'s HW on its own: a second leader in the same epoch is single-leader-per-epoch\'s finding', () => {
      const monitor = new InvariantMonitor();
      monitor.observeSample(sample(100, { 't-0': [replica(1, log, { isLeader: true, leaderEpoch: 2, highWatermark: 4 })] }));
      monitor.observeSample(sample(200, { 't-0': [replica(2, log, { isLeader: true, leaderEpoch: 2, highWatermark: 1 })] }));
      expect(resultOf(monitor, 'leader-hw-monotonic').valid).toBe(true);
      expect(resultOf(monitor, 'single-leader-per-epoch').valid).toBe(false);
    });

    it('starts afresh when the leader restarted and leads again in the same epoch (its HW from its checkpoint)', () => {
      const monitor = new InvariantMonitor();
      const leading = (incarnation: string, highWatermark: number) => replica(1, log, { isLeader: true, leaderEpoch: 2, highWatermark, incarnation });
      monitor.observeSample(sample(100, { 't-0': [leading('boot-1', 4)] }));
      monitor.observeSample(sample(200, { 't-0': [leading('boot-2', 1)] }));
      expect(resultOf(monitor, 'leader-hw-monotonic').valid).toBe(true);
      monitor.observeSample(sample(300, { 't-0': [leading('boot-2', 0)] }));
      expect(resultOf(monitor, 'leader-hw-monotonic').valid).toBe(false);
    });
  });
});
