import { describe, expect, it } from 'vitest';
import { brokerPath, onRegistrationResponse, startBrokerRegistration, type RegistrationStep } from '../../../actors/zkcontroller/brokerRegistration.ts';
import type { ZkCall } from '../../../actors/zookeeper/zkClient.ts';
import { bootServer, connect, expireSessions, handleRequest, type ZkServerState } from '../../../actors/zookeeper/zookeeperServer.ts';
import type { ZkConnectResponse, ZkResponse } from '../../../src/protocol/zookeeperMessages.ts';

// Broker registration in ZooKeeper mode (KafkaZkClient#registerBroker, checkedEphemeralCreate) against the server's
// own rules.
class Ensemble {
  server: ZkServerState = bootServer(undefined, 0);
  nowMs = 0;
  private xid = 1;

  session(client: string): number {
    const opened = connect(this.server, client, { type: 'zk.connect.request', sessionTimeoutMs: 6_000 }, this.nowMs);
    this.server = opened.state;
    return (opened.out[0]?.message as ZkConnectResponse).sessionId;
  }

  ask(client: string, sessionId: number, request: ZkCall): ZkResponse {
    const step = handleRequest(this.server, client, { ...request, sessionId, xid: this.xid++ } as never, this.nowMs);
    this.server = step.state;
    return step.out.map((o) => o.message).find((m): m is ZkResponse => m.type === 'zk.response') as ZkResponse;
  }

  /** Runs a registration to its end; `registeredSessionId` is the session of the broker's last registration. */
  register(brokerId: number, sessionId: number, registeredSessionId = -1): { step: RegistrationStep; calls: string[] } {
    let step = startBrokerRegistration();
    const calls: string[] = [];
    for (let i = 0; i < 20 && step.call !== null; i++) {
      calls.push(step.call.type);
      const response = this.ask(`broker-${brokerId}`, sessionId, step.call);
      step = onRegistrationResponse(step.registration, step.call, response, { brokerId, sessionId, registeredSessionId, nowMs: this.nowMs });
    }
    return { step, calls };
  }

  node(path: string) {
    return this.server.tree.nodes[path];
  }
}

describe('broker registration in ZooKeeper mode', () => {
  it('creates the parents and /brokers/ids/N as an ephemeral of its session; the broker epoch is its czxid', () => {
    const zk = new Ensemble();
    const session = zk.session('broker-1');
    const { step, calls } = zk.register(1, session);
    expect(calls).toEqual(['zk.create.request', 'zk.create.request', 'zk.multi.request']);
    const node = zk.node(brokerPath(1));
    expect(node?.stat.ephemeralOwner).toBe(session);
    expect(node?.stat.version).toBe(1); // the empty create, then the setData
    expect(node?.data).toMatchObject({ version: 5, host: 'broker-1', port: 9092, endpoints: ['PLAINTEXT://broker-1:9092'] });
    expect(step.registration).toEqual({ step: 'registered', brokerEpoch: node?.stat.czxid, sessionId: session });
    expect(zk.node('/brokers/ids')?.stat.ephemeralOwner).toBe(0);
  });

  it('registers again with a larger broker epoch after its session expired and took the znode', () => {
    const zk = new Ensemble();
    const first = zk.session('broker-1');
    const before = zk.register(1, first).step.registration;
    zk.register(2, zk.session('broker-2'));
    zk.nowMs = 20_000;
    zk.server = expireSessions(zk.server, zk.nowMs).state;
    expect(zk.node(brokerPath(1))).toBeUndefined();
    const second = zk.session('broker-1');
    const after = zk.register(1, second, first);
    expect(after.calls).toEqual(['zk.create.request', 'zk.create.request', 'zk.multi.request']);
    expect(after.step.registration.step).toBe('registered');
    const epoch = (r: typeof before) => (r.step === 'registered' ? r.brokerEpoch : -1);
    expect(epoch(after.step.registration)).toBeGreaterThan(epoch(before));
  });

  it('refuses an id another session holds (NODEEXISTS), leaving the other registration alone', () => {
    const zk = new Ensemble();
    const holder = zk.session('broker-1');
    zk.register(1, holder);
    const intruder = zk.session('broker-1b');
    const { step, calls } = zk.register(1, intruder);
    expect(calls.slice(-2)).toEqual(['zk.multi.request', 'zk.getData.request']);
    expect(step.registration).toEqual({ step: 'failed', errorCode: 'NODEEXISTS' });
    expect(zk.node(brokerPath(1))?.stat.ephemeralOwner).toBe(holder);
  });

  it("deletes and creates again a znode its own earlier session still holds (ZOOKEEPER-2985's workaround)", () => {
    const zk = new Ensemble();
    const old = zk.session('broker-1');
    zk.register(1, old);
    const oldEpoch = zk.node(brokerPath(1))?.stat.czxid as number;
    // The broker has a new session while the server still has the old one's ephemeral.
    const renewed = zk.session('broker-1');
    const { step, calls } = zk.register(1, renewed, old);
    expect(calls.slice(-4)).toEqual(['zk.multi.request', 'zk.getData.request', 'zk.delete.request', 'zk.multi.request']);
    expect(zk.node(brokerPath(1))?.stat.ephemeralOwner).toBe(renewed);
    expect(step.registration).toMatchObject({ step: 'registered', sessionId: renewed });
    expect(step.registration.step === 'registered' && step.registration.brokerEpoch).toBeGreaterThan(oldEpoch);
  });

  it('keeps a registration its own session already made (a create repeated after a lost connection)', () => {
    const zk = new Ensemble();
    const session = zk.session('broker-1');
    const first = zk.register(1, session).step.registration;
    const again = zk.register(1, session, session);
    expect(again.calls.slice(-2)).toEqual(['zk.multi.request', 'zk.getData.request']);
    expect(again.step.registration).toEqual(first);
  });

  it('repeats a call whose connection was lost, and gives up on an expired session', () => {
    const start = startBrokerRegistration();
    const context = { brokerId: 1, sessionId: 5, registeredSessionId: -1, nowMs: 0 };
    const lost = { type: 'zk.response', xid: 1, zxid: 0, errorCode: 'CONNECTIONLOSS' } as const;
    expect(onRegistrationResponse(start.registration, start.call, lost, context)).toEqual(start);
    const expired = { ...lost, errorCode: 'SESSIONEXPIRED' } as const;
    expect(onRegistrationResponse(start.registration, start.call, expired, context)).toEqual({ registration: { step: 'failed', errorCode: 'SESSIONEXPIRED' }, call: null });
  });
});
