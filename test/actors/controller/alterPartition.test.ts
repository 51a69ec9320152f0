import { describe, expect, it } from 'vitest';
import { alterPartition } from '../../../actors/controller/alterPartition.ts';
import type { AlterPartitionRequest } from '../../../actors/controller/alterPartition.ts';
import { fenceBroker } from '../../../actors/controller/brokerRegistration.ts';
import { brokerOf, partitionOf } from '../../../actors/controller/metadataImage.ts';
import type { MetadataImage } from '../../../actors/controller/metadataImage.ts';
import { clean, registration, unfencedCluster, withTopic } from './controllerFixtures.ts';

const cluster = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3])]);
const epochOf = (image: MetadataImage, id: number) => brokerOf(image, id)?.epoch ?? -99;

/** A request from broker 1 (the leader) with the leader's current view of the partition. */
function request(image: MetadataImage, newIsr: number[], overrides: Partial<AlterPartitionRequest> = {}): AlterPartitionRequest {
  const partition = partitionOf(image, 't', 0);
  if (partition === undefined) throw new Error('no partition t-0');
  return {
    brokerId: 1,
    brokerEpoch: epochOf(image, 1),
    topic: 't',
    partition: 0,
    leaderEpoch: partition.leaderEpoch,
    partitionEpoch: partition.partitionEpoch,
    newIsr: newIsr.map((brokerId) => ({ brokerId, brokerEpoch: epochOf(image, brokerId) })),
    ...overrides,
  };
}

describe('alterPartition', () => {
  it('accepts an ISR shrink from the leader: one PartitionChange, partition epoch +1, leader epoch unchanged', () => {
    const result = alterPartition(cluster, request(cluster, [1, 2]), clean);
    expect(result.records).toEqual([{ type: 'PartitionChange', topic: 't', partition: 0, isr: [1, 2] }]);
    expect(result.response).toEqual({ errorCode: 'NONE', replicas: [1, 2, 3], isr: [1, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 1 });
    expect(partitionOf(result.image, 't', 0)?.partitionEpoch).toBe(1);
  });

  it('accepts an ISR expansion back to every replica', () => {
    const shrunk = alterPartition(cluster, request(cluster, [1]), clean).image;
    const expanded = alterPartition(shrunk, request(shrunk, [1, 2, 3]), clean);
    expect(expanded.response).toMatchObject({ errorCode: 'NONE', isr: [1, 2, 3], partitionEpoch: 2 });
  });

  it('answers an unchanged ISR with the current state and writes nothing', () => {
    const result = alterPartition(cluster, request(cluster, [1, 2, 3]), clean);
    expect(result.records).toEqual([]);
    expect(result.response).toMatchObject({ errorCode: 'NONE', partitionEpoch: 0 });
  });

  it('rejects a stale partition epoch (the compare-and-set) with INVALID_UPDATE_VERSION and changes nothing', () => {
    const stale = request(cluster, [1, 2]);
    const first = alterPartition(cluster, stale, clean);
    expect(first.response.errorCode).toBe('NONE');
    const second = alterPartition(first.image, { ...stale, newIsr: stale.newIsr.slice(0, 1) }, clean);
    expect(second.response).toEqual({ errorCode: 'INVALID_UPDATE_VERSION' });
    expect(second.records).toEqual([]);
    expect(second.image).toBe(first.image);
  });

  it('rejects an old leader epoch with FENCED_LEADER_EPOCH', () => {
    // Broker 1 is fenced and comes back as a follower after broker 2 took over (leader epoch 1).
    const moved = fenceBroker(cluster, 1, clean).image;
    const fromOldLeader = request(moved, [1, 2], { leaderEpoch: 0, partitionEpoch: 0 });
    expect(alterPartition(moved, fromOldLeader, clean).response).toEqual({ errorCode: 'FENCED_LEADER_EPOCH' });
  });

  it('answers NOT_CONTROLLER when the request knows newer epochs than this controller', () => {
    expect(alterPartition(cluster, request(cluster, [1, 2], { leaderEpoch: 5 }), clean).response).toEqual({ errorCode: 'NOT_CONTROLLER' });
    expect(alterPartition(cluster, request(cluster, [1, 2], { partitionEpoch: 5 }), clean).response).toEqual({ errorCode: 'NOT_CONTROLLER' });
  });

  it('rejects a sender that is not the leader with INVALID_REQUEST', () => {
    const fromFollower = request(cluster, [1, 2], { brokerId: 2, brokerEpoch: epochOf(cluster, 2) });
    expect(alterPartition(cluster, fromFollower, clean).response).toEqual({ errorCode: 'INVALID_REQUEST' });
  });

  it('rejects a sender on a stale broker epoch with STALE_BROKER_EPOCH', () => {
    const stale = request(cluster, [1, 2], { brokerEpoch: epochOf(cluster, 1) - 1 });
    expect(alterPartition(cluster, stale, clean).response).toEqual({ errorCode: 'STALE_BROKER_EPOCH' });
  });

  it('rejects an ISR without the leader, with duplicates or with a non-replica as INVALID_REQUEST', () => {
    for (const isr of [[2, 3], [1, 1], [1, 4]]) {
      expect(alterPartition(cluster, request(cluster, isr), clean).response).toEqual({ errorCode: 'INVALID_REQUEST' });
    }
  });

  it('rejects a fenced member or a member on another broker epoch with INELIGIBLE_REPLICA; epoch -1 skips the check', () => {
    const fenced = fenceBroker(cluster, 3, clean).image;
    const withFenced = request(fenced, [1, 2, 3]);
    expect(alterPartition(fenced, withFenced, clean).response).toEqual({ errorCode: 'INELIGIBLE_REPLICA' });

    const wrongEpoch = request(cluster, [1, 2], { newIsr: [{ brokerId: 1, brokerEpoch: -1 }, { brokerId: 2, brokerEpoch: 0 }] });
    expect(alterPartition(cluster, wrongEpoch, clean).response).toEqual({ errorCode: 'INELIGIBLE_REPLICA' });
    const unchecked = request(cluster, [1, 2], { newIsr: [{ brokerId: 1, brokerEpoch: -1 }, { brokerId: 2, brokerEpoch: -1 }] });
    expect(alterPartition(cluster, unchecked, clean).response.errorCode).toBe('NONE');
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition the controller does not know', () => {
    expect(alterPartition(cluster, request(cluster, [1], { partition: 7 }), clean).response).toEqual({ errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(alterPartition(cluster, request(cluster, [1], { topic: 'constructor' }), clean).response).toEqual({ errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
