import { describe, expect, it } from 'vitest';
import { onElectionResponse, startControllerElection, type ElectionStep } from '../../../actors/zkcontroller/controllerElection.ts';
import type { ZkCall } from '../../../actors/zookeeper/zkClient.ts';
import { bootServer, connect, handleRequest, type ZkServerState } from '../../../actors/zookeeper/zookeeperServer.ts';
import type { ZkConnectResponse, ZkResponse } from '../../../src/protocol/zookeeperMessages.ts';

// Controller elections through ZooKeeper (KafkaController#elect), brokers talking to the server's own rules, one call
// at a time so that two elections can interleave.
class Cluster {
  server: ZkServerState = bootServer(undefined, 0);
  readonly sessions = new Map<number, number>();
  private xid = 1;

  session(brokerId: number): number {
    const opened = connect(this.server, `broker-${brokerId}`, { type: 'zk.connect.request', sessionTimeoutMs: 18_000 }, 0);
    this.server = opened.state;
    const sessionId = (opened.out[0]?.message as ZkConnectResponse).sessionId;
    this.sessions.set(brokerId, sessionId);
    return sessionId;
  }

  ask(brokerId: number, request: ZkCall): ZkResponse {
    const step = handleRequest(this.server, `broker-${brokerId}`, { ...request, sessionId: this.sessions.get(brokerId) ?? -1, xid: this.xid++ } as never, 0);
    this.server = step.state;
    return step.out.map((o) => o.message).find((m): m is ZkResponse => m.type === 'zk.response') as ZkResponse;
  }

  /** One call of a broker's election, and its answer. */
  advance(brokerId: number, step: ElectionStep): ElectionStep {
    if (step.call === null) return step;
    return onElectionResponse(step.election, this.ask(brokerId, step.call), brokerId, 0);
  }

  elect(brokerId: number, step: ElectionStep = startControllerElection()): ElectionStep {
    let current = step;
    for (let i = 0; i < 20 && current.call !== null; i++) current = this.advance(brokerId, current);
    return current;
  }
}

describe('controller election through ZooKeeper', () => {
  it('makes the first broker controller with epoch 1, creating /controller_epoch the first time', () => {
    const cluster = new Cluster();
    cluster.session(1);
    expect(cluster.elect(1).election).toEqual({ step: 'elected', epoch: 1, epochZkVersion: 1 });
    expect(cluster.server.tree.nodes['/controller']?.data).toEqual({ version: 2, brokerid: 1, timestamp: '0' });
    expect(cluster.server.tree.nodes['/controller']?.stat.ephemeralOwner).toBe(cluster.sessions.get(1));
    expect(cluster.server.tree.nodes['/controller_epoch']?.data).toBe(1);
  });

  it('lets one of two racing brokers win; the other reads who did', () => {
    const cluster = new Cluster();
    cluster.session(1);
    cluster.session(2);
    let one = startControllerElection();
    let two = startControllerElection();
    // Both find no controller, both try to create /controller_epoch (one creates it), and both read the same epoch
    // before either registers.
    for (let i = 0; i < 4; i++) {
      one = cluster.advance(1, one);
      two = cluster.advance(2, two);
    }
    expect(one.election.step).toBe('register');
    expect(two.election.step).toBe('register');
    expect(cluster.elect(1, one).election).toEqual({ step: 'elected', epoch: 1, epochZkVersion: 1 });
    expect(cluster.elect(2, two).election).toEqual({ step: 'notElected', controllerId: 1 });
  });

  it('elects another broker with the next epoch once the controller session is gone, and fences the old one', () => {
    const cluster = new Cluster();
    cluster.session(1);
    cluster.session(2);
    const first = cluster.elect(1).election;
    expect(cluster.elect(2).election).toEqual({ step: 'notElected', controllerId: 1 });
    // broker-1's session ends: its /controller goes with it; broker-2 runs the election again.
    cluster.ask(1, { type: 'zk.close.request' });
    expect(cluster.server.tree.nodes['/controller']).toBeUndefined();
    const second = cluster.elect(2).election;
    expect(second).toEqual({ step: 'elected', epoch: 2, epochZkVersion: 2 });
    // A write of the old controller, checked against the epoch's zkVersion it was elected with, fails whole.
    cluster.session(1);
    const zombie = cluster.ask(1, {
      type: 'zk.multi.request',
      ops: [
        { op: 'check', path: '/controller_epoch', version: first.step === 'elected' ? first.epochZkVersion : -1 },
        { op: 'create', path: '/state', data: { leader: 1 }, ephemeral: false },
      ],
    });
    expect(zombie.errorCode).toBe('BADVERSION');
    expect(cluster.server.tree.nodes['/state']).toBeUndefined();
  });

  it('runs again when its conditional epoch write loses to another election (BADVERSION)', () => {
    const cluster = new Cluster();
    cluster.session(1);
    cluster.session(2);
    let slow = startControllerElection();
    for (let i = 0; i < 4; i++) slow = cluster.advance(2, slow); // read epoch 0, about to register with version 0
    expect(slow.election).toEqual({ step: 'register', newEpoch: 1 });
    cluster.elect(1);
    cluster.ask(1, { type: 'zk.close.request' }); // broker-1 won and went: /controller is free, the epoch moved on
    slow = cluster.advance(2, slow);
    expect(slow.election.step).toBe('verifyController');
    expect(cluster.elect(2, slow).election).toEqual({ step: 'elected', epoch: 2, epochZkVersion: 2 });
  });
});
