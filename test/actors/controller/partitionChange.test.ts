import { describe, expect, it } from 'vitest';
import { brokerHeartbeat, fenceBroker } from '../../../actors/controller/brokerRegistration.ts';
import { brokerOf, partitionOf } from '../../../actors/controller/metadataImage.ts';
import type { MetadataImage } from '../../../actors/controller/metadataImage.ts';
import { fencedBrokerChanges, partitionChange, unfencedBrokerChanges } from '../../../actors/controller/partitionChange.ts';
import { clean, registration, unclean, unfencedCluster, withTopic } from './controllerFixtures.ts';

const p0 = (image: MetadataImage) => partitionOf(image, 't', 0);

function unfence(image: MetadataImage, brokerId: number, options = clean): MetadataImage {
  const broker = brokerOf(image, brokerId);
  if (broker === undefined) throw new Error(`no broker ${brokerId}`);
  const request = { brokerId, brokerEpoch: broker.epoch, currentMetadataOffset: image.offset, wantFence: false, wantShutDown: false };
  return brokerHeartbeat(image, request, { ...options, nowMs: 0 }).image;
}

describe('partitionChange', () => {
  it('writes nothing when the ISR and the leader stay as they are', () => {
    const current = registration([1, 2, 3]);
    expect(partitionChange({ topic: 't', partition: 0 }, current, { election: 'online', isAcceptableLeader: () => true })).toBeNull();
  });

  it('writes the target ISR alone when the leader stays', () => {
    const current = registration([1, 2, 3]);
    const change = partitionChange({ topic: 't', partition: 0 }, current, { targetIsr: [1, 3], election: 'online', isAcceptableLeader: () => true });
    expect(change).toEqual({ type: 'PartitionChange', topic: 't', partition: 0, isr: [1, 3] });
  });

  it('never writes an empty ISR: the last member stays while the leader becomes -1', () => {
    const current = registration([1, 2], [1]);
    const change = partitionChange({ topic: 't', partition: 0 }, current, { targetIsr: [], election: 'online', isAcceptableLeader: (r) => r !== 1 });
    expect(change).toEqual({ type: 'PartitionChange', topic: 't', partition: 0, leader: -1 });
  });
});

describe('fencing a broker (handleBrokerFenced)', () => {
  const cluster = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3])]);

  it('moves leadership to the next ISR replica in replica order and bumps both epochs', () => {
    const fenced = fenceBroker(cluster, 1, clean).image;
    expect(p0(fenced)).toEqual({ replicas: [1, 2, 3], isr: [2, 3], leader: 2, leaderEpoch: 1, partitionEpoch: 1 });
    expect(brokerOf(fenced, 1)?.fenced).toBe(true);
  });

  it('shrinks the ISR for a fenced follower without bumping the leader epoch (the partition epoch still moves)', () => {
    const fenced = fenceBroker(cluster, 3, clean).image;
    expect(p0(fenced)).toEqual({ replicas: [1, 2, 3], isr: [1, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 1 });
  });

  it('writes the partition changes before the BrokerFenced record', () => {
    const { records } = fenceBroker(cluster, 1, clean);
    expect(records.map((r) => r.type)).toEqual(['PartitionChange', 'BrokerFenced']);
  });

  it('leaves partitions without the broker in their ISR alone', () => {
    const image = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3], [1, 2])]);
    expect(fencedBrokerChanges(image, 3, clean)).toEqual([]);
  });

  it('never removes the last ISR member: ISR stays [b], leader -1, until b comes back and leads again', () => {
    let image = fenceBroker(cluster, 2, clean).image;
    image = fenceBroker(image, 3, clean).image;
    expect(p0(image)).toMatchObject({ isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 2 });

    image = fenceBroker(image, 1, clean).image;
    expect(p0(image)).toEqual({ replicas: [1, 2, 3], isr: [1], leader: -1, leaderEpoch: 1, partitionEpoch: 3 });

    // Broker 2 returns, but it is not in the ISR: without unclean election the partition stays offline.
    image = unfence(image, 2);
    expect(p0(image)).toMatchObject({ isr: [1], leader: -1, leaderEpoch: 1 });

    image = unfence(image, 1);
    expect(p0(image)).toEqual({ replicas: [1, 2, 3], isr: [1], leader: 1, leaderEpoch: 2, partitionEpoch: 4 });
  });

  it('with unclean election on, a live out-of-sync replica takes over and becomes the whole ISR', () => {
    let image = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3], [1])]);
    image = fenceBroker(image, 1, unclean).image;
    expect(p0(image)).toEqual({ replicas: [1, 2, 3], isr: [2], leader: 2, leaderEpoch: 1, partitionEpoch: 1 });
  });

  it('with unclean election on, an unfencing broker outside the ISR takes over a leaderless partition', () => {
    let image = withTopic(unfencedCluster([1, 2]), 't', [registration([1, 2], [1])]);
    image = fenceBroker(image, 2, clean).image;
    image = fenceBroker(image, 1, clean).image;
    expect(p0(image)).toMatchObject({ isr: [1], leader: -1 });
    expect(unfencedBrokerChanges(image, 2, clean)).toEqual([]);
    expect(unfencedBrokerChanges(image, 2, unclean)).toEqual([{ type: 'PartitionChange', topic: 't', partition: 0, leader: 2, isr: [2], leaderRecoveryState: 'RECOVERING' }]);
  });
});
