import { describe, expect, it } from 'vitest';
import { brokerHeartbeat, fenceBroker, registerIncarnation } from '../../../actors/controller/brokerRegistration.ts';
import { alterPartition } from '../../../actors/controller/alterPartition.ts';
import { brokerOf, partitionOf } from '../../../actors/controller/metadataImage.ts';
import type { MetadataImage } from '../../../actors/controller/metadataImage.ts';
import { partitionChange, uncleanShutdownChanges } from '../../../actors/controller/partitionChange.ts';
import type { BrokerChangeOptions } from '../../../actors/controller/partitionChange.ts';
import { clean, registration, sessionTimeoutMs, unfencedCluster, withTopic } from './controllerFixtures.ts';

// Eligible Leader Replicas (KIP-966), as Kafka 4.1 runs them by default (PartitionChangeBuilder with ELR on,
// ReplicationControlManager#handleBrokerFenced / handleBrokerUnfenced / handleBrokerUncleanShutdown).
const elr = (minIsr: number): BrokerChangeOptions => ({ uncleanLeaderElectionEnable: false, elr: { minInsyncReplicasOf: () => minIsr } });
const p0 = (image: MetadataImage) => partitionOf(image, 't', 0);

function unfence(image: MetadataImage, brokerId: number, options: BrokerChangeOptions): MetadataImage {
  const broker = brokerOf(image, brokerId);
  if (broker === undefined) throw new Error(`no broker ${brokerId}`);
  const request = { brokerId, brokerEpoch: broker.epoch, currentMetadataOffset: image.offset, wantFence: false, wantShutDown: false };
  return brokerHeartbeat(image, request, { ...options, nowMs: 0 }).image;
}

describe('eligible leader replicas (KIP-966)', () => {
  const cluster = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3])]);

  it('a replica that leaves an ISR at min ISR is not eligible; one that leaves it below min ISR joins the ELR', () => {
    let image = fenceBroker(cluster, 3, elr(2)).image;
    expect(p0(image)).toMatchObject({ isr: [1, 2], leader: 1 });
    expect(p0(image)?.elr).toBeUndefined();
    image = fenceBroker(image, 2, elr(2)).image;
    expect(p0(image)).toMatchObject({ isr: [1], leader: 1, elr: [2] });
  });

  it('the ISR may empty: the last member joins the ELR and is remembered as the last known leader', () => {
    let image = fenceBroker(cluster, 3, elr(2)).image;
    image = fenceBroker(image, 2, elr(2)).image;
    image = fenceBroker(image, 1, elr(2)).image;
    expect(p0(image)).toMatchObject({ isr: [], leader: -1, elr: [1, 2], lastKnownElr: [1] });
  });

  it('without ELR the last member is never removed (Kafka 3.9)', () => {
    let image = fenceBroker(cluster, 3, clean).image;
    image = fenceBroker(image, 2, clean).image;
    image = fenceBroker(image, 1, clean).image;
    expect(p0(image)).toMatchObject({ isr: [1], leader: -1 });
    expect(p0(image)?.elr).toBeUndefined();
  });

  it('with the ISR empty, an unfenced ELR member is elected and becomes the whole ISR; the last known leader is forgotten', () => {
    let image = fenceBroker(cluster, 3, elr(2)).image;
    image = fenceBroker(image, 2, elr(2)).image;
    image = fenceBroker(image, 1, elr(2)).image;
    image = unfence(image, 2, elr(2));
    expect(p0(image)).toMatchObject({ isr: [2], leader: 2, elr: [1] });
    expect(p0(image)?.lastKnownElr).toBeUndefined();
  });

  it('elects in order: the ISR, then an unfenced ELR member, then the last known leader', () => {
    const current = { ...registration([1, 2, 3], [], -1), elr: [2], lastKnownElr: [1] };
    const acceptable = (ids: number[]) => (r: number) => ids.includes(r);
    const options = (ids: number[], targetIsr: number[] = []) => ({ targetIsr, election: 'online' as const, isAcceptableLeader: acceptable(ids), elr: { minIsr: 2 } });
    // The ISR first (a target ISR of one).
    expect(partitionChange({ topic: 't', partition: 0 }, current, options([1, 2, 3], [3]))).toMatchObject({ leader: 3 });
    // Then the ELR, while the ISR is empty.
    expect(partitionChange({ topic: 't', partition: 0 }, current, options([1, 2, 3]))).toMatchObject({ leader: 2, isr: [2], elr: [], lastKnownElr: [] });
    // The ELR member is fenced: the last known leader is not tried while the ELR is not empty.
    expect(partitionChange({ topic: 't', partition: 0 }, current, options([1, 3]))).toBeNull();
    // With the ELR empty, the last known leader is elected (as an unclean election: the ISR becomes it alone).
    const lastOnly = { ...registration([1, 2, 3], [], -1), lastKnownElr: [1] };
    expect(partitionChange({ topic: 't', partition: 0 }, lastOnly, options([1, 3]))).toMatchObject({ leader: 1, isr: [1], lastKnownElr: [], leaderRecoveryState: 'RECOVERING' });
    // Not while it is fenced.
    expect(partitionChange({ topic: 't', partition: 0 }, lastOnly, options([3]))).toBeNull();
  });

  it('an ISR back at min ISR clears the ELR (AlterPartition adding a caught-up replica)', () => {
    let image = fenceBroker(cluster, 3, elr(2)).image;
    image = fenceBroker(image, 2, elr(2)).image;
    image = unfence(image, 2, elr(2));
    const partition = p0(image);
    if (partition === undefined) throw new Error('no partition');
    expect(partition.elr).toEqual([2]);
    const broker2 = brokerOf(image, 2)?.epoch ?? -1;
    const request = {
      brokerId: 1,
      brokerEpoch: brokerOf(image, 1)?.epoch ?? -1,
      topic: 't',
      partition: 0,
      leaderEpoch: partition.leaderEpoch,
      partitionEpoch: partition.partitionEpoch,
      newIsr: [{ brokerId: 1, brokerEpoch: -1 }, { brokerId: 2, brokerEpoch: broker2 }],
    };
    const altered = alterPartition(image, request, elr(2));
    expect(altered.response).toMatchObject({ errorCode: 'NONE', isr: [1, 2] });
    expect(p0(altered.image)?.elr).toBeUndefined();
  });
});

describe('a broker back from an unclean shutdown (handleBrokerUncleanShutdown)', () => {
  // Broker 1 leads t-0 with ISR [1, 2, 3]; its session has expired but the controller has not fenced it yet when
  // its new incarnation (after a power loss) registers.
  const cluster = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3])]);
  const afterExpiry = { nowMs: sessionTimeoutMs + 1, brokerSessionTimeoutMs: sessionTimeoutMs };
  const request = { brokerId: 1, incarnationId: 'after-power-loss' };

  it('Kafka 3.9 (ELR off): nothing but the registration is written, so the broker keeps its ISR place and its leadership', () => {
    const result = registerIncarnation(cluster, request, { ...afterExpiry, ...clean });
    expect(result.records.map((record) => record.type)).toEqual(['RegisterBroker']);
    expect(p0(result.image)).toMatchObject({ isr: [1, 2, 3], leader: 1 });
    expect(uncleanShutdownChanges(cluster, 1, clean)).toEqual([]);
  });

  it('Kafka 4.1 (ELR on): the broker leaves the ISR and its leadership before it registers', () => {
    const result = registerIncarnation(cluster, request, { ...afterExpiry, ...elr(2) });
    expect(result.records.map((record) => record.type)).toEqual(['PartitionChange', 'RegisterBroker']);
    expect(p0(result.image)).toMatchObject({ isr: [2, 3], leader: 2 });
  });

  it('Kafka 4.1: it leaves the ELR too, and is never the last known leader elected', () => {
    let image = fenceBroker(cluster, 3, elr(2)).image;
    image = fenceBroker(image, 2, elr(2)).image;
    image = fenceBroker(image, 1, elr(2)).image;
    expect(p0(image)).toMatchObject({ isr: [], elr: [1, 2], lastKnownElr: [1] });
    const result = registerIncarnation(image, request, { ...afterExpiry, ...elr(2) });
    expect(p0(result.image)).toMatchObject({ isr: [], leader: -1, elr: [2] });
  });

  it('a clean shutdown (PreviousBrokerEpoch matches the registered epoch) writes nothing but the registration', () => {
    const previousBrokerEpoch = brokerOf(cluster, 1)?.epoch ?? -1;
    const result = registerIncarnation(cluster, { ...request, previousBrokerEpoch }, { ...afterExpiry, ...elr(2) });
    expect(result.records.map((record) => record.type)).toEqual(['RegisterBroker']);
  });
});
