import { describe, expect, it } from 'vitest';
import {
  activateController,
  brokerHeartbeat,
  brokersToFence,
  fenceBroker,
  registerBroker,
} from '../../../actors/controller/brokerRegistration.ts';
import type { BrokerHeartbeatRequest } from '../../../actors/controller/brokerRegistration.ts';
import { brokerOf, emptyMetadataImage, partitionOf, replayAll } from '../../../actors/controller/metadataImage.ts';
import type { MetadataImage } from '../../../actors/controller/metadataImage.ts';
import { clean, registration, sessionTimeoutMs, unfencedCluster, withTopic } from './controllerFixtures.ts';

const session = (nowMs: number) => ({ nowMs, brokerSessionTimeoutMs: sessionTimeoutMs });

function heartbeat(image: MetadataImage, brokerId: number, overrides: Partial<BrokerHeartbeatRequest> = {}, nowMs = 0) {
  const request = {
    brokerId,
    brokerEpoch: brokerOf(image, brokerId)?.epoch ?? -1,
    currentMetadataOffset: image.offset,
    wantFence: false,
    wantShutDown: false,
    ...overrides,
  };
  return brokerHeartbeat(image, request, { ...clean, nowMs });
}

describe('registerBroker', () => {
  it("gives the broker the offset of its RegisterBroker record as its epoch, and it starts fenced", () => {
    const first = registerBroker(emptyMetadataImage(), { brokerId: 1, incarnationId: 'a' }, session(0));
    expect(first.response).toEqual({ errorCode: 'NONE', brokerEpoch: 0 });
    const second = registerBroker(first.image, { brokerId: 2, incarnationId: 'b' }, session(0));
    expect(second.response.brokerEpoch).toBe(1);
    expect(second.records).toEqual([{ type: 'RegisterBroker', brokerId: 2, incarnationId: 'b', brokerEpoch: 1, fenced: true }]);
    expect(brokerOf(second.image, 2)).toEqual({ id: 2, incarnationId: 'b', epoch: 1, fenced: true, lastHeartbeatMs: 0 });
  });

  it('a new incarnation after the session expired gets a new epoch; heartbeats on the old epoch are stale', () => {
    const image = unfencedCluster([1]);
    const oldEpoch = brokerOf(image, 1)?.epoch;
    const restarted = registerBroker(image, { brokerId: 1, incarnationId: 'after-crash' }, session(sessionTimeoutMs + 1));
    expect(restarted.response).toEqual({ errorCode: 'NONE', brokerEpoch: image.offset + 1 });
    expect(brokerOf(restarted.image, 1)?.fenced).toBe(true);
    expect(heartbeat(restarted.image, 1, { brokerEpoch: oldEpoch }).response.errorCode).toBe('STALE_BROKER_EPOCH');
  });

  it('a re-registering incarnation also gets a new epoch (ClusterControlManager writes a new record every time)', () => {
    const image = unfencedCluster([1]);
    const again = registerBroker(image, { brokerId: 1, incarnationId: 'inc-1' }, session(1));
    expect(again.response.brokerEpoch).toBe(image.offset + 1);
    expect(brokerOf(again.image, 1)?.fenced).toBe(true);
  });

  it('refuses another incarnation while the registered one has a live session', () => {
    const image = unfencedCluster([1]);
    const duplicate = registerBroker(image, { brokerId: 1, incarnationId: 'impostor' }, session(sessionTimeoutMs));
    expect(duplicate.response).toEqual({ errorCode: 'DUPLICATE_BROKER_REGISTRATION', brokerEpoch: -1 });
    expect(duplicate.records).toEqual([]);
  });
});

describe('brokerHeartbeat', () => {
  const registered = registerBroker(emptyMetadataImage(), { brokerId: 1, incarnationId: 'a' }, session(0)).image;

  it('keeps a broker fenced until it has replayed up to its own registration record', () => {
    const behind = heartbeat(registered, 1, { currentMetadataOffset: -1 });
    expect(behind.response).toEqual({ errorCode: 'NONE', isCaughtUp: false, isFenced: true, shouldShutDown: false });
    expect(behind.records).toEqual([]);
    const caughtUp = heartbeat(registered, 1);
    expect(caughtUp.response).toEqual({ errorCode: 'NONE', isCaughtUp: true, isFenced: false, shouldShutDown: false });
    expect(caughtUp.records).toEqual([{ type: 'BrokerUnfenced', brokerId: 1, brokerEpoch: 0 }]);
  });

  it('does not unfence a broker that asks to stay fenced', () => {
    expect(heartbeat(registered, 1, { wantFence: true }).response.isFenced).toBe(true);
  });

  it('answers STALE_BROKER_EPOCH to an unknown broker or epoch and changes nothing', () => {
    const stale = heartbeat(registered, 1, { brokerEpoch: 7 });
    expect(stale.response.errorCode).toBe('STALE_BROKER_EPOCH');
    expect(stale.image).toBe(registered);
    expect(heartbeat(registered, 9).response.errorCode).toBe('STALE_BROKER_EPOCH');
  });

  it('fences an unfenced broker that asks to be fenced, moving its leaderships away', () => {
    const image = withTopic(unfencedCluster([1, 2]), 't', [registration([1, 2])]);
    const result = heartbeat(image, 1, { wantFence: true });
    expect(result.response.isFenced).toBe(true);
    expect(partitionOf(result.image, 't', 0)).toMatchObject({ leader: 2, isr: [2] });
  });

  it('lets a broker that wants to shut down go after fencing it', () => {
    const result = heartbeat(unfencedCluster([1]), 1, { wantShutDown: true });
    expect(result.response).toMatchObject({ isFenced: true, shouldShutDown: true });
  });
});

describe('brokersToFence', () => {
  const image = unfencedCluster([1, 2, 3], 0);

  it('fences nobody while sessions are younger than broker.session.timeout.ms', () => {
    expect(brokersToFence(image, sessionTimeoutMs, sessionTimeoutMs)).toEqual([]);
  });

  it('returns the expired brokers oldest contact first; a heartbeat keeps a session alive', () => {
    const later = heartbeat(heartbeat(image, 3, {}, 5_000).image, 2, {}, 4_000).image;
    expect(brokersToFence(later, sessionTimeoutMs + 1, sessionTimeoutMs)).toEqual([1]);
    expect(brokersToFence(later, 20_000, sessionTimeoutMs)).toEqual([1, 2, 3]);
  });

  it('skips brokers that are already fenced', () => {
    const fenced = fenceBroker(image, 1, clean).image;
    expect(brokersToFence(fenced, 20_000, sessionTimeoutMs)).toEqual([2, 3]);
  });

  it('refuses a replayed image whose sessions were never started, and activateController starts them', () => {
    const replayed = replayAll(emptyMetadataImage(), [
      { type: 'RegisterBroker', brokerId: 1, incarnationId: 'a', brokerEpoch: 0, fenced: false },
    ]);
    expect(() => brokersToFence(replayed, 0, sessionTimeoutMs)).toThrow(/activateController/);
    const active = activateController(replayed, 50_000);
    expect(brokersToFence(active, 50_000 + sessionTimeoutMs, sessionTimeoutMs)).toEqual([]);
    expect(brokersToFence(active, 50_001 + sessionTimeoutMs, sessionTimeoutMs)).toEqual([1]);
  });
});

describe('fenceBroker', () => {
  it('refuses to fence a broker that is unknown or already fenced', () => {
    const image = unfencedCluster([1]);
    expect(() => fenceBroker(image, 2, clean)).toThrow(/registered, unfenced broker/);
    expect(() => fenceBroker(fenceBroker(image, 1, clean).image, 1, clean)).toThrow(/registered, unfenced broker/);
  });
});
