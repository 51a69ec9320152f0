import { describe, expect, it } from 'vitest';
import { brokerPath } from '../../../actors/zkcontroller/brokerRegistration.ts';
import { CONTROLLER_EPOCH_PATH } from '../../../actors/zkcontroller/controllerElection.ts';
import { partitionStatePath } from '../../../actors/zkcontroller/brokerFailure.ts';
import { topicZNodeData } from '../../../actors/zkcontroller/topicZnodes.ts';
import {
  emptyControllerOutput,
  onAlterPartition,
  onBrokerChange,
  onControlChannelReset,
  onControllerResponse,
  onControlResponse,
  startController,
  type ControllerOutput,
  type ZkControllerState,
} from '../../../actors/zkcontroller/zkController.ts';
import type { LeaderAndIsrRequest } from '../../../src/protocol/controlRequests.ts';
import type { AlterPartitionResponse } from '../../../src/protocol/messages.ts';
import { zkSession } from './zkFixture.ts';

// The ZooKeeper-mode controller wired from its decisions: what it reads at failover, what it writes and sends when
// brokers come and go and when a leader asks for an ISR change, and its one-request-at-a-time channels. Its calls
// are answered by the ZooKeeper server's own rules (zkFixture.ts).

type Sent = ControllerOutput['sends'][number];

const controllerOptions = { uncleanLeaderElectionEnable: false, autoLeaderRebalance: { enable: false, intervalMs: 300_000, imbalancePerBrokerPercentage: 10 } };

/** A cluster in ZooKeeper: brokers registered (ephemerals of another session), a topic assigned, the epoch at 1. */
function cluster(brokers: number[], assignment: number[][]) {
  const zk = zkSession('broker-1');
  zk.ask({ type: 'zk.create.request', path: '/brokers', data: null, ephemeral: false });
  zk.ask({ type: 'zk.create.request', path: '/brokers/ids', data: null, ephemeral: false });
  zk.ask({ type: 'zk.create.request', path: '/brokers/topics', data: null, ephemeral: false });
  zk.ask({ type: 'zk.create.request', path: '/brokers/topics/t', data: topicZNodeData(assignment), ephemeral: false });
  for (const id of brokers) zk.ask({ type: 'zk.create.request', path: brokerPath(id), data: {}, ephemeral: false });
  zk.ask({ type: 'zk.create.request', path: CONTROLLER_EPOCH_PATH, data: 1, ephemeral: false });
  return zk;
}

/** Answers the controller's calls until it makes none; returns what it sent and whether it resigned. */
function drive(zk: ReturnType<typeof zkSession>, start: (out: ControllerOutput) => ZkControllerState): { state: ZkControllerState; sent: Sent[]; resigned: boolean } {
  let out = emptyControllerOutput();
  let state = start(out);
  const sent: Sent[] = [];
  let resigned = false;
  for (;;) {
    sent.push(...out.sends);
    resigned ||= out.resign;
    const calls = out.calls;
    if (calls.length === 0) return { state, sent, resigned };
    out = emptyControllerOutput();
    for (const { tag, call } of calls) state = onControllerResponse(state, tag, zk.ask(call), out);
  }
}

const leaderAndIsr = (sent: Sent[]) => sent.filter((s): s is { to: number; message: LeaderAndIsrRequest } => s.message.type === 'leaderAndIsr.request');

describe('the ZooKeeper-mode controller', () => {
  it('at failover creates each new partition led by its first live replica, and tells the brokers', () => {
    const zk = cluster([1, 2, 3], [[2, 1, 3], [3, 2, 1]]);
    const { sent } = drive(zk, (out) => startController(1, { epoch: 2, epochZkVersion: 0 }, controllerOptions, out));
    expect(zk.tree().nodes[partitionStatePath('t', 0)]?.data).toMatchObject({ leader: 2, leader_epoch: 0, isr: [2, 1, 3], controller_epoch: 2 });
    // One request per broker at a time: LeaderAndIsr first on every channel, UpdateMetadata queued behind it.
    expect(sent.map((s) => [s.to, s.message.type])).toEqual([
      [1, 'leaderAndIsr.request'],
      [2, 'leaderAndIsr.request'],
      [3, 'leaderAndIsr.request'],
    ]);
    expect(leaderAndIsr(sent)[0]?.message.partitionStates.map((p) => [p.partition, p.leader, p.leaderEpoch])).toEqual([
      [0, 2, 0],
      [1, 3, 0],
    ]);
  });

  it('sends a channel\u2019s next request only once the one before it is answered, and again after a broken connection', () => {
    const zk = cluster([1, 2], [[1, 2]]);
    const { state } = drive(zk, (out) => startController(1, { epoch: 2, epochZkVersion: 0 }, controllerOptions, out));
    const first = state.channels[2]?.inFlight;
    expect(first?.type).toBe('leaderAndIsr.request');
    const reset = emptyControllerOutput();
    onControlChannelReset(state, 2, reset);
    expect(reset.resendTimers).toEqual([{ brokerId: 2, after: 'backoff' }]);
    const answered = emptyControllerOutput();
    const next = onControlResponse(state, 2, first?.correlationId ?? -1, answered);
    expect(answered.sends.map((s) => s.message.type)).toEqual(['updateMetadata.request']);
    expect(next.channels[2]?.queue).toEqual([]);
  });

  it('elects a new leader when the leader\u2019s broker leaves /brokers/ids, in the next leader epoch, and drops it from the ISR', () => {
    const zk = cluster([1, 2, 3], [[1, 2, 3]]);
    const started = drive(zk, (out) => startController(3, { epoch: 2, epochZkVersion: 0 }, controllerOptions, out));
    zk.ask({ type: 'zk.delete.request', path: brokerPath(1), version: -1 });
    const { sent } = drive(zk, (out) => onBrokerChange(started.state, out));
    expect(zk.tree().nodes[partitionStatePath('t', 0)]?.data).toMatchObject({ leader: 2, leader_epoch: 1, isr: [2, 3] });
    // Broker 2's channel still waits for its failover requests' answers: what it is owed now is queued.
    expect(started.state.channels[2]?.inFlight?.type).toBe('leaderAndIsr.request');
    expect(sent).toEqual([]);
  });

  it('resigns when a write finds the controller epoch moved (another controller was elected)', () => {
    const zk = cluster([1, 2], [[1, 2]]);
    const started = drive(zk, (out) => startController(1, { epoch: 2, epochZkVersion: 0 }, controllerOptions, out));
    zk.ask({ type: 'zk.setData.request', path: CONTROLLER_EPOCH_PATH, data: 3, version: -1 });
    zk.ask({ type: 'zk.delete.request', path: brokerPath(2), version: -1 });
    const { resigned } = drive(zk, (out) => onBrokerChange(started.state, out));
    expect(resigned).toBe(true);
    expect(zk.tree().nodes[partitionStatePath('t', 0)]?.data).toMatchObject({ leader: 1, leader_epoch: 0, isr: [1, 2] });
  });

  it('writes an AlterPartition and answers it with the new state; one on a stale partition epoch gets INVALID_UPDATE_VERSION', () => {
    const zk = cluster([1, 2, 3], [[1, 2, 3]]);
    const { state } = drive(zk, (out) => startController(1, { epoch: 2, epochZkVersion: 0 }, controllerOptions, out));
    const epochOf = (id: number) => state.view.liveBrokers[id] as number;
    const request = (partitionEpoch: number, isr: number[]) => ({
      type: 'partition.alter' as const,
      brokerId: 1,
      brokerEpoch: epochOf(1),
      topic: 't',
      partition: 0,
      leaderEpoch: 0,
      partitionEpoch,
      newIsr: isr.map((brokerId) => ({ brokerId, brokerEpoch: epochOf(brokerId) })),
    });
    const shrunk = drive(zk, (out) => onAlterPartition(state, 'broker-1', request(0, [1, 2]), out));
    const answer = shrunk.sent.find((s) => s.message.type === 'partition.alter.response')?.message as AlterPartitionResponse;
    expect(answer.state).toMatchObject({ isr: [1, 2], leaderEpoch: 0, partitionEpoch: 1 });
    const stale = drive(zk, (out) => onAlterPartition(shrunk.state, 'broker-1', { ...request(0, [1]), partitionEpoch: 0 }, out));
    expect(stale.sent.find((s) => s.message.type === 'partition.alter.response')?.message).toMatchObject({ errorCode: 'INVALID_UPDATE_VERSION' });
  });
});
