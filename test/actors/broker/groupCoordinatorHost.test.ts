import { describe, expect, it } from 'vitest';
import { applyMetadataRecords } from '../../../actors/broker/applyMetadata.ts';
import { brokerConfigDefaults } from '../../../actors/broker/brokerConfig.ts';
import { bootBrokerState, type BrokerEffect, type BrokerState } from '../../../actors/broker/BrokerState.ts';
import {
  onCoordinatorAppended,
  onCoordinatorDeadline,
  onCoordinatorLoaded,
  serveFindCoordinator,
  serveGroupRequest,
  syncCoordinatorShards,
} from '../../../actors/broker/groupCoordinatorHost.ts';
import { CONSUMER_OFFSETS_TOPIC, type GroupRequestMessage, type GroupResponseMessage } from '../../../src/protocol/groupMessages.ts';
import type { MetadataRecord } from '../../../src/protocol/metadataRecords.ts';

// The coordinator a broker hosts for the `__consumer_offsets` partition it leads: loading, answering, writing
// its records as an acks=all append, and letting go when leadership moves. One partition, so every group maps to
// it; replication factor 1 on broker 1, so an append commits at once.
const offsetsTopic: MetadataRecord[] = [
  { type: 'Topic', name: CONSUMER_OFFSETS_TOPIC },
  { type: 'Partition', topic: CONSUMER_OFFSETS_TOPIC, partition: 0, replicas: [1], isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
];

function leaderOfOffsets(state = bootBrokerState(1, 'i', brokerConfigDefaults, undefined)): { state: BrokerState; out: BrokerEffect[] } {
  const out: BrokerEffect[] = [];
  const led = applyMetadataRecords({ ...state, brokerEpoch: 7 }, 0, offsetsTopic, 0, out);
  return { state: syncCoordinatorShards(led, out), out };
}

function ask(state: BrokerState, request: GroupRequestMessage, nowMs = 1_000) {
  const out: BrokerEffect[] = [];
  const next = serveGroupRequest(state, { ...request, from: 'consumer-1' }, nowMs, out);
  const answers = out.flatMap((e) => (e.kind === 'send' ? [e.message as GroupResponseMessage] : []));
  return { state: next, out, answers };
}

const join: GroupRequestMessage = {
  type: 'joinGroup.request',
  correlationId: 1,
  groupId: 'billing',
  body: { memberId: '', clientId: 'consumer-1', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, protocolType: 'consumer', protocols: [{ name: 'range', metadata: { topics: ['orders'] } }] },
};
const adminCommit: GroupRequestMessage = {
  type: 'offsetCommit.request',
  correlationId: 2,
  groupId: 'billing',
  body: { memberId: '', generationId: -1, offsets: [{ topic: 'orders', partition: 0, offset: 42 }] },
};

describe('groupCoordinatorHost', () => {
  it('starts loading when the broker becomes leader of the partition, answering COORDINATOR_LOAD_IN_PROGRESS meanwhile', () => {
    const { state, out } = leaderOfOffsets();
    expect(out).toContainEqual(expect.objectContaining({ kind: 'timer', event: { type: 'coordinator.loaded', partition: 0, leaderEpoch: 0 } }));
    expect(ask(state, join).answers[0]?.body).toMatchObject({ errorCode: 'COORDINATOR_LOAD_IN_PROGRESS' });
  });

  it('while loading, sends a SyncGroup back to JoinGroup (REBALANCE_IN_PROGRESS) and answers a Heartbeat blindly, as Kafka does', () => {
    const { state } = leaderOfOffsets();
    const sync: GroupRequestMessage = { type: 'syncGroup.request', correlationId: 3, groupId: 'billing', body: { memberId: 'm', generationId: 1, assignments: {} } } as unknown as GroupRequestMessage;
    const heartbeat: GroupRequestMessage = { type: 'heartbeat.request', correlationId: 4, groupId: 'billing', body: { memberId: 'm', generationId: 1 } } as unknown as GroupRequestMessage;
    expect(ask(state, sync).answers[0]).toMatchObject({ type: 'syncGroup.response', body: { errorCode: 'REBALANCE_IN_PROGRESS' } });
    expect(ask(state, heartbeat).answers[0]).toMatchObject({ type: 'heartbeat.response', correlationId: 4, body: { errorCode: 'NONE' } });
    expect(ask(state, adminCommit).answers[0]).toMatchObject({ type: 'offsetCommit.response', body: { partitions: [{ errorCode: 'COORDINATOR_LOAD_IN_PROGRESS' }] } });
  });

  it('serves the group once loaded: a new member is given an id with MEMBER_ID_REQUIRED', () => {
    const loaded = onCoordinatorLoaded(leaderOfOffsets().state, 0, 0, 500, []);
    const body = ask(loaded, join).answers[0]?.body;
    expect(body).toMatchObject({ errorCode: 'MEMBER_ID_REQUIRED', memberId: 'consumer-1-7-0' });
  });

  it('answers an OffsetCommit only once its record is committed, and a new leader loads the offset from the log', () => {
    const loaded = onCoordinatorLoaded(leaderOfOffsets().state, 0, 0, 500, []);
    const committed = ask(loaded, adminCommit);
    expect(committed.answers).toEqual([]);
    const appended = committed.out.find((e) => e.kind === 'timer' && e.event.type === 'coordinator.appended');
    expect(appended).toBeDefined();
    const out: BrokerEffect[] = [];
    const appendId = appended?.kind === 'timer' && appended.event.type === 'coordinator.appended' ? appended.event.appendId : '';
    onCoordinatorAppended(committed.state, appendId, 'NONE', 600, out);
    expect(out).toContainEqual(expect.objectContaining({ kind: 'send', message: expect.objectContaining({ type: 'offsetCommit.response' }) }));

    // Another incarnation of the broker with the same log becomes leader and finds the offset.
    const disk = { logs: Object.fromEntries(Object.entries(committed.state.partitions).map(([key, replica]) => [key, replica.log])) };
    const reborn = leaderOfOffsets(bootBrokerState(1, 'j', brokerConfigDefaults, disk)).state;
    const reloaded = onCoordinatorLoaded(reborn, 0, 0, 9_000, []);
    const fetch = ask(reloaded, { type: 'offsetFetch.request', correlationId: 3, groupId: 'billing', body: { partitions: [{ topic: 'orders', partition: 0 }] } });
    expect(fetch.answers[0]?.body).toMatchObject({ partitions: [{ topic: 'orders', partition: 0, offset: 42 }] });
  });

  it('keeps an accepted commit pending until its append commits: OffsetFetch sees it only then, and never if the append fails', () => {
    const loaded = onCoordinatorLoaded(leaderOfOffsets().state, 0, 0, 500, []);
    const fetchRequest: GroupRequestMessage = { type: 'offsetFetch.request', correlationId: 3, groupId: 'billing', body: { partitions: [{ topic: 'orders', partition: 0 }] } };
    const fetched = (state: BrokerState) => (ask(state, fetchRequest).answers[0]?.body as { partitions: Array<{ offset: number }> }).partitions[0]?.offset;
    const committed = ask(loaded, adminCommit);
    const appended = committed.out.find((e) => e.kind === 'timer' && e.event.type === 'coordinator.appended');
    const appendId = appended?.kind === 'timer' && appended.event.type === 'coordinator.appended' ? appended.event.appendId : '';
    expect(fetched(committed.state)).toBe(-1);
    expect(fetched(onCoordinatorAppended(committed.state, appendId, 'NONE', 600, []))).toBe(42);
    const failed = onCoordinatorAppended(committed.state, appendId, 'REQUEST_TIMED_OUT', 600, []);
    expect(fetched(failed)).toBe(-1);
    expect(failed.coordinator.shards[0]?.pendingOffsetCommits).toEqual({});
  });

  it('answers NOT_COORDINATOR once leadership moves away, to new requests and to those parked', () => {
    const loaded = onCoordinatorLoaded(leaderOfOffsets().state, 0, 0, 500, []);
    const memberId = 'consumer-1-7-0';
    const rejoin = { ...join, correlationId: 5, body: { ...join.body, memberId } } as GroupRequestMessage;
    const parked = ask(ask(loaded, join).state, rejoin);
    expect(parked.answers).toEqual([]);
    const out: BrokerEffect[] = [];
    const moved = applyMetadataRecords(parked.state, 2, [{ type: 'PartitionChange', topic: CONSUMER_OFFSETS_TOPIC, partition: 0, leader: 2 }], 2_000, out);
    const unloaded = syncCoordinatorShards(moved, out);
    expect(out).toContainEqual(expect.objectContaining({ kind: 'send', message: expect.objectContaining({ type: 'joinGroup.response', correlationId: 5, body: expect.objectContaining({ errorCode: 'NOT_COORDINATOR' }) }) }));
    expect(ask(unloaded, join).answers[0]?.body).toMatchObject({ errorCode: 'NOT_COORDINATOR' });
  });

  it("answers the leader's SyncGroup only once the assignment's record commits; a failed append sends the group back to JoinGroup", () => {
    // One member joins (MEMBER_ID_REQUIRED, then with its id), the initial rebalance delay passes, it leads and syncs.
    const loaded = onCoordinatorLoaded(leaderOfOffsets().state, 0, 0, 500, []);
    const memberId = 'consumer-1-7-0';
    const joined = ask(ask(loaded, join).state, { ...join, correlationId: 5, body: { ...join.body, memberId } } as GroupRequestMessage);
    const completed: BrokerEffect[] = [];
    const stable = onCoordinatorDeadline(joined.state, 0, 5_000, completed);
    expect(completed).toContainEqual(expect.objectContaining({ kind: 'send', message: expect.objectContaining({ type: 'joinGroup.response', body: expect.objectContaining({ errorCode: 'NONE', generationId: 1 }) }) }));
    const sync = { type: 'syncGroup.request', correlationId: 6, groupId: 'billing', body: { memberId, generationId: 1, assignments: { [memberId]: [['orders', 0]] } } } as unknown as GroupRequestMessage;
    const synced = ask(stable, sync, 5_010);
    expect(synced.answers).toEqual([]);
    expect(synced.state.coordinator.shards[0]?.groups.billing?.state).toBe('CompletingRebalance');
    const appended = synced.out.find((e) => e.kind === 'timer' && e.event.type === 'coordinator.appended');
    const appendId = appended?.kind === 'timer' && appended.event.type === 'coordinator.appended' ? appended.event.appendId : '';

    const committed: BrokerEffect[] = [];
    const after = onCoordinatorAppended(synced.state, appendId, 'NONE', 5_020, committed);
    expect(committed).toContainEqual(expect.objectContaining({ kind: 'send', message: { type: 'syncGroup.response', correlationId: 6, body: expect.objectContaining({ errorCode: 'NONE', assignment: [['orders', 0]] }) } }));
    expect(after.coordinator.shards[0]?.groups.billing?.state).toBe('Stable');
    expect(after.coordinator.shards[0]?.pendingAssignments).toEqual({});

    const failedOut: BrokerEffect[] = [];
    const failed = onCoordinatorAppended(synced.state, appendId, 'REQUEST_TIMED_OUT', 10_010, failedOut);
    expect(failedOut).toContainEqual(expect.objectContaining({ kind: 'send', message: expect.objectContaining({ type: 'syncGroup.response', correlationId: 6, body: expect.objectContaining({ errorCode: 'COORDINATOR_NOT_AVAILABLE' }) }) }));
    expect(failed.coordinator.shards[0]?.groups.billing?.state).toBe('PreparingRebalance');
  });

  it("answers FindCoordinator with the leader of the group's partition, or COORDINATOR_NOT_AVAILABLE without the topic", () => {
    const out: BrokerEffect[] = [];
    serveFindCoordinator(leaderOfOffsets().state, { type: 'findCoordinator.request', correlationId: 9, groupId: 'billing', from: 'consumer-1' }, out);
    serveFindCoordinator(bootBrokerState(1, 'i', brokerConfigDefaults, undefined), { type: 'findCoordinator.request', correlationId: 10, groupId: 'billing', from: 'consumer-1' }, out);
    expect(out.map((e) => (e.kind === 'send' ? e.message : null))).toEqual([
      { type: 'findCoordinator.response', correlationId: 9, nodeId: 1 },
      { type: 'findCoordinator.response', correlationId: 10, nodeId: -1, errorCode: 'COORDINATOR_NOT_AVAILABLE' },
    ]);
  });
});
