import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alterPartition } from '../../../actors/controller/alterPartition.ts';
import { activateController, brokerHeartbeat, brokersToFence, fenceBroker, registerBroker } from '../../../actors/controller/brokerRegistration.ts';
import type { ControllerResult } from '../../../actors/controller/ControllerResult.ts';
import { controllerDefaults } from '../../../actors/controller/controllerDefaults.ts';
import { createTopic } from '../../../actors/controller/createTopic.ts';
import {
  allPartitions,
  brokerOf,
  emptyMetadataImage,
  partitionOf,
  replay,
  replayAll,
  withoutSoftState,
} from '../../../actors/controller/metadataImage.ts';
import type { MetadataImage, MetadataRecord, PartitionRegistration } from '../../../actors/controller/metadataImage.ts';
import { propertyRuns } from '../../../properties/propertyRuns.ts';
import { registration, seededDraw, sessionTimeoutMs, unfencedCluster, withTopic } from './controllerFixtures.ts';

describe('replay', () => {
  it('advances the offset by one per record', () => {
    const image = replay(emptyMetadataImage(), { type: 'RegisterBroker', brokerId: 1, incarnationId: 'a', brokerEpoch: 0, fenced: true });
    expect(image.offset).toBe(0);
    expect(replay(image, { type: 'Topic', name: 't' }).offset).toBe(1);
  });

  it('bumps the leader epoch only when the change names a leader, and the partition epoch on every change', () => {
    const image = withTopic(unfencedCluster([1, 2]), 't', [registration([1, 2])]);
    const shrunk = replay(image, { type: 'PartitionChange', topic: 't', partition: 0, isr: [1] });
    expect(partitionOf(shrunk, 't', 0)).toMatchObject({ isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 1 });
    const sameLeader = replay(shrunk, { type: 'PartitionChange', topic: 't', partition: 0, leader: 1 });
    expect(partitionOf(sameLeader, 't', 0)).toMatchObject({ leader: 1, leaderEpoch: 1, partitionEpoch: 2 });
  });

  it('refuses records that contradict the log: a wrong broker epoch, an unknown broker or partition', () => {
    const empty = emptyMetadataImage();
    expect(() => replay(empty, { type: 'RegisterBroker', brokerId: 1, incarnationId: 'a', brokerEpoch: 5, fenced: true })).toThrow(/epoch 5 at offset 0/);
    expect(() => replay(empty, { type: 'BrokerFenced', brokerId: 1, brokerEpoch: 0 })).toThrow(/unregistered broker 1/);
    expect(() => replay(empty, { type: 'PartitionChange', topic: 't', partition: 0, isr: [1] })).toThrow(/unknown partition/);
    expect(() => replay(empty, { type: 'Partition', topic: 't', partition: 0, ...registration([1]) })).toThrow(/unknown topic/);
  });

  it('keeps the image JSON-safe: a JSON round trip gives the same image', () => {
    const image = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3]), registration([2, 3, 1], [2])]);
    expect(JSON.parse(JSON.stringify(image))).toEqual(image);
  });

  it('does not mistake inherited names for topics', () => {
    expect(partitionOf(emptyMetadataImage(), 'constructor', 0)).toBeUndefined();
    const image = replay(emptyMetadataImage(), { type: 'Topic', name: '__proto__' });
    expect(Object.keys(image.topics)).toEqual(['__proto__']);
  });
});

// A random run of controller operations, each appending its records to one log.
type Op =
  | { kind: 'register'; broker: number; incarnation: number }
  | { kind: 'heartbeat'; broker: number; wantFence: boolean; behind: boolean }
  | { kind: 'heartbeatAll' }
  | { kind: 'tick'; ms: number }
  | { kind: 'createTopic'; topic: number; partitions: number; rf: number }
  | { kind: 'alterIsr'; topic: number; partition: number; keep: boolean[]; stale: boolean };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('register' as const), broker: fc.integer({ min: 1, max: 4 }), incarnation: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), broker: fc.integer({ min: 1, max: 4 }), wantFence: fc.boolean(), behind: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('heartbeatAll' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 6_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createTopic' as const), topic: fc.integer({ min: 0, max: 2 }), partitions: fc.integer({ min: 1, max: 4 }), rf: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('alterIsr' as const),
      topic: fc.integer({ min: 0, max: 2 }),
      partition: fc.integer({ min: 0, max: 3 }),
      keep: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      stale: fc.boolean(),
    }),
  },
);

// Every run starts from four unfenced brokers and a three-partition topic t0 with RF 3, so most operations bite.
const bootstrap: readonly Op[] = [
  ...[1, 2, 3, 4].map((broker) => ({ kind: 'register' as const, broker, incarnation: 0 })),
  { kind: 'heartbeatAll' },
  { kind: 'createTopic', topic: 0, partitions: 3, rf: 3 },
];

interface Run {
  image: MetadataImage;
  log: MetadataRecord[];
  nowMs: number;
}

function runOps(ops: readonly Op[], seed: number, uncleanLeaderElectionEnable: boolean, onStep: (before: MetadataImage, after: MetadataImage) => void): Run {
  const draw = seededDraw(seed);
  const options = { uncleanLeaderElectionEnable };
  let run: Run = { image: activateController(emptyMetadataImage(), 0), log: [], nowMs: 0 };
  const apply = (result: ControllerResult<unknown>) => {
    onStep(run.image, result.image);
    run = { ...run, image: result.image, log: [...run.log, ...result.records] };
  };
  for (const op of [...bootstrap, ...ops]) {
    const { image, nowMs } = run;
    switch (op.kind) {
      case 'register':
        apply(registerBroker(image, { brokerId: op.broker, incarnationId: `i${op.incarnation}` }, { nowMs, brokerSessionTimeoutMs: sessionTimeoutMs }));
        break;
      case 'heartbeat': {
        const broker = brokerOf(image, op.broker);
        if (broker === undefined) break;
        const request = { brokerId: op.broker, brokerEpoch: broker.epoch, currentMetadataOffset: op.behind ? broker.epoch - 1 : image.offset, wantFence: op.wantFence, wantShutDown: false };
        apply(brokerHeartbeat(image, request, { ...options, nowMs }));
        break;
      }
      case 'heartbeatAll':
        for (const broker of Object.values(image.brokers)) {
          const request = { brokerId: broker.id, brokerEpoch: broker.epoch, currentMetadataOffset: run.image.offset, wantFence: false, wantShutDown: false };
          apply(brokerHeartbeat(run.image, request, { ...options, nowMs }));
        }
        break;
      case 'tick':
        run = { ...run, nowMs: nowMs + op.ms };
        for (const brokerId of brokersToFence(run.image, run.nowMs, sessionTimeoutMs)) apply(fenceBroker(run.image, brokerId, options));
        break;
      case 'createTopic':
        apply(createTopic(image, { name: `t${op.topic}`, numPartitions: op.partitions, replicationFactor: op.rf }, { ...controllerDefaults, draw }));
        break;
      case 'alterIsr': {
        const current = partitionOf(image, `t${op.topic}`, op.partition);
        if (current === undefined || current.leader < 0) break;
        const others = current.replicas.filter((replica, i) => replica !== current.leader && op.keep[i] === true);
        const request = {
          brokerId: current.leader,
          brokerEpoch: brokerOf(image, current.leader)?.epoch ?? -1,
          topic: `t${op.topic}`,
          partition: op.partition,
          leaderEpoch: current.leaderEpoch,
          partitionEpoch: current.partitionEpoch - (op.stale ? 1 : 0),
          newIsr: [current.leader, ...others].map((brokerId) => ({ brokerId, brokerEpoch: -1 })),
        };
        apply(alterPartition(image, request, options));
        break;
      }
    }
  }
  return run;
}

// Per-step invariants of a partition registration: the broken one, or null.
function partitionViolation(before: PartitionRegistration | undefined, after: PartitionRegistration): string | null {
  if (after.isr.length === 0) return 'empty ISR';
  if (new Set(after.isr).size !== after.isr.length) return 'duplicate ISR member';
  if (!after.isr.every((broker) => after.replicas.includes(broker))) return 'ISR member outside the replicas';
  if (after.leader !== -1 && !after.isr.includes(after.leader)) return 'leader outside the ISR';
  if (before === undefined) return null;
  if (after.leaderEpoch < before.leaderEpoch || after.partitionEpoch < before.partitionEpoch) return 'epoch went backwards';
  if (after.leader !== before.leader && after.leaderEpoch <= before.leaderEpoch) return 'new leader without a new leader epoch';
  const changed = after.leader !== before.leader || after.isr.join() !== before.isr.join();
  if (changed && after.partitionEpoch !== before.partitionEpoch + 1) return 'change without exactly one partition epoch bump';
  return null;
}

describe('the metadata log', () => {
  const scenario = fc.record({
    ops: fc.array(opArbitrary, { minLength: 1, maxLength: 40 }),
    seed: fc.integer(),
    unclean: fc.boolean(),
  });

  it('replaying the log of a random run rebuilds the image the run produced (soft state aside)', () => {
    fc.assert(
      fc.property(scenario, ({ ops, seed, unclean }) => {
        const run = runOps(ops, seed, unclean, () => {});
        expect(run.image.offset).toBe(run.log.length - 1);
        expect(replayAll(emptyMetadataImage(), run.log)).toEqual(withoutSoftState(run.image));
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('keeps every partition valid at every step: non-empty ISR within the replicas, leader in the ISR, epochs that only grow', () => {
    fc.assert(
      fc.property(scenario, ({ ops, seed, unclean }) => {
        const violations: string[] = [];
        runOps(ops, seed, unclean, (before, after) => {
          for (const { topic, partition, registration: next } of allPartitions(after)) {
            const violation = partitionViolation(partitionOf(before, topic, partition), next);
            if (violation !== null) violations.push(`${topic}-${partition}: ${violation}`);
          }
        });
        expect(violations).toEqual([]);
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('the partition check catches an emptied ISR and a leader change without an epoch bump (its weakenings)', () => {
    const before = registration([1, 2, 3]);
    expect(partitionViolation(before, { ...before, isr: [] })).toBe('empty ISR');
    expect(partitionViolation(before, { ...before, leader: 2, partitionEpoch: 1 })).toBe('new leader without a new leader epoch');
    expect(partitionViolation(before, { ...before, isr: [1, 2], leaderEpoch: 0, partitionEpoch: 0 })).toBe('change without exactly one partition epoch bump');
  });

  it('a state change without its record breaks the replay (the weakening the replay property must catch)', () => {
    const ops: Op[] = [{ kind: 'alterIsr', topic: 0, partition: 0, keep: [false, false, false], stale: false }];
    const run = runOps(ops, 7, false, () => {});
    expect(run.log.at(-1)?.type).toBe('PartitionChange');
    expect(replayAll(emptyMetadataImage(), run.log.slice(0, -1))).not.toEqual(withoutSoftState(run.image));
  });
});
