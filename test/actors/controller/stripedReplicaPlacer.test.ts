import { describe, expect, it } from 'vitest';
import { stripedReplicaPlacer } from '../../../actors/controller/stripedReplicaPlacer.ts';
import { scriptedDraw, seededDraw } from './controllerFixtures.ts';

describe('stripedReplicaPlacer (StripedReplicaPlacerTest, one rack)', () => {
  // Kafka's tests use MockRandom; the scripted draws give the same start offsets and shuffle swaps.
  it('testAvoidFencedReplicaIfPossibleOnSingleRack: stripes over unfenced brokers, then reshuffles', () => {
    const brokers = [{ id: 3, fenced: false }, { id: 1, fenced: true }, { id: 0, fenced: false }, { id: 4, fenced: false }, { id: 2, fenced: false }];
    const draw = scriptedDraw([0, 0.5, 0.8, 0.1, 0.6]);
    const placement = stripedReplicaPlacer(brokers, { numPartitions: 5, replicationFactor: 4 }, draw);
    expect(placement).toEqual({ ok: true, assignments: [[3, 4, 0, 2], [4, 0, 2, 3], [0, 2, 3, 4], [2, 3, 4, 0], [0, 4, 3, 2]] });
    expect(draw.used()).toBe(5);
  });

  it('testPlacementOnFencedReplicaOnSingleRack: a fenced broker fills the last slot, never the leader', () => {
    const brokers = [{ id: 3, fenced: false }, { id: 1, fenced: true }, { id: 2, fenced: false }];
    const placement = stripedReplicaPlacer(brokers, { numPartitions: 4, replicationFactor: 3 }, scriptedDraw([0, 0.5, 0.6]));
    expect(placement).toEqual({ ok: true, assignments: [[3, 2, 1], [2, 3, 1], [3, 2, 1], [2, 3, 1]] });
  });

  it('testMultiPartitionTopicPlacementOnSingleUnfencedBroker: one unfenced broker leads every partition', () => {
    const brokers = [{ id: 0, fenced: false }, { id: 1, fenced: true }];
    const placement = stripedReplicaPlacer(brokers, { numPartitions: 3, replicationFactor: 1 }, scriptedDraw([0, 0]));
    expect(placement).toEqual({ ok: true, assignments: [[0], [0], [0]] });
  });

  it('refuses a replication factor above the registered brokers, and a cluster with every broker fenced', () => {
    const brokers = [{ id: 1, fenced: false }, { id: 2, fenced: true }];
    expect(stripedReplicaPlacer(brokers, { numPartitions: 1, replicationFactor: 3 }, seededDraw(1))).toMatchObject({ ok: false, error: 'INVALID_REPLICATION_FACTOR' });
    expect(stripedReplicaPlacer([{ id: 2, fenced: true }], { numPartitions: 1, replicationFactor: 1 }, seededDraw(1))).toMatchObject({ ok: false });
  });
});
