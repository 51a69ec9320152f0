import { describe, expect, it } from 'vitest';
import { call, connectionLost, nextTickMs, onConnectResponse, onResponse, onWatchEvent, startClient, tick, type ZkClientEffect, type ZkClientState } from '../../../actors/zookeeper/zkClient.ts';
import { bootServer, connect, expireSessions, handleRequest, type ZkServerState } from '../../../actors/zookeeper/zookeeperServer.ts';
import type { ZkConnectRequest, ZkConnectResponse, ZkRequest, ZkResponse, ZkWatchEvent } from '../../../src/protocol/zookeeperMessages.ts';

// The client side of a session against the server's own rules, messages handed over at once (no network here).
class Session {
  server: ZkServerState = bootServer(undefined, 0);
  client: ZkClientState;
  heard: ZkClientEffect[] = [];
  /** While true, the server gets nothing from the client (a cut connection). */
  cut = false;

  constructor(timeoutMs: number) {
    const started = startClient(timeoutMs, 0);
    this.client = started.state;
    this.apply(started.effects, 0);
  }

  apply(effects: readonly ZkClientEffect[], nowMs: number): void {
    for (const effect of effects) {
      if (effect.kind !== 'send') {
        this.heard.push(effect);
        continue;
      }
      if (this.cut) continue;
      const message = effect.message as ZkConnectRequest | ZkRequest;
      const step = message.type === 'zk.connect.request' ? connect(this.server, 'broker-1', message, nowMs) : handleRequest(this.server, 'broker-1', message, nowMs);
      this.server = step.state;
      for (const { message: reply } of step.out) this.receive(reply, nowMs);
    }
  }

  receive(message: ZkResponse | ZkConnectResponse | ZkWatchEvent, nowMs: number): void {
    const step =
      message.type === 'zk.connect.response' ? onConnectResponse(this.client, message, nowMs) : message.type === 'zk.watch.event' ? onWatchEvent(this.client, message, nowMs) : onResponse(this.client, message, nowMs);
    this.client = step.state;
    this.apply(step.effects, nowMs);
  }

  call(tag: string, request: Parameters<typeof call>[2], nowMs: number): void {
    const step = call(this.client, tag, request, nowMs);
    this.client = step.state;
    this.apply(step.effects, nowMs);
  }

  tick(nowMs: number): void {
    const step = tick(this.client, nowMs);
    this.client = step.state;
    this.apply(step.effects, nowMs);
  }

  replies(): Array<[string, string]> {
    return this.heard.flatMap((e) => (e.kind === 'reply' ? [[e.tag, e.response.errorCode] as [string, string]] : []));
  }
}

describe('a ZooKeeper client session', () => {
  it('opens a session, sends what was asked while connecting once it is open, and sets the watches its reads asked for', () => {
    const s = new Session(18_000);
    expect(s.heard).toEqual([{ kind: 'connected', sessionId: 1, newSession: true }]);
    s.call('register', { type: 'zk.create.request', path: '/brokers', data: null, ephemeral: false }, 1);
    s.call('watch-controller', { type: 'zk.exists.request', path: '/controller', watch: true }, 2);
    expect(s.replies()).toEqual([['register', 'OK'], ['watch-controller', 'NONODE']]);
    expect(s.client.watches.exist).toEqual(['/controller']);
    const queued = startClient(6_000, 0);
    expect(call(queued.state, 'early', { type: 'zk.getData.request', path: '/', watch: false }, 0).effects).toEqual([]);
  });

  it('pings when idle for a third of the timeout, and keeps the session alive past it', () => {
    const s = new Session(6_000);
    for (let nowMs = 0; nowMs <= 30_000; nowMs += 500) {
      s.tick(nowMs);
      s.server = expireSessions(s.server, nowMs).state;
    }
    expect(s.server.sessions[1]).toBeDefined();
    expect(nextTickMs(s.client)).toBeGreaterThan(30_000);
  });

  it('after a lost connection fails what was pending, reconnects to its session and hears of what its watches missed', () => {
    const s = new Session(18_000);
    s.call('get', { type: 'zk.getChildren.request', path: '/', watch: true }, 1);
    s.cut = true;
    s.call('lost', { type: 'zk.create.request', path: '/x', data: 1, ephemeral: false }, 2);
    // Another client changes the tree meanwhile.
    const other = connect(s.server, 'broker-2', { type: 'zk.connect.request', sessionTimeoutMs: 18_000 }, 3);
    s.server = handleRequest(other.state, 'broker-2', { type: 'zk.create.request', sessionId: 2, xid: 1, path: '/controller', data: 2, ephemeral: true }, 4).state;
    s.cut = false;
    const lost = connectionLost(s.client, 10_000);
    s.client = lost.state;
    s.apply(lost.effects, 10_000);
    expect(s.replies()).toContainEqual(['lost', 'CONNECTIONLOSS']);
    expect(s.heard.filter((e) => e.kind === 'connected')).toEqual([
      { kind: 'connected', sessionId: 1, newSession: true },
      { kind: 'connected', sessionId: 1, newSession: false },
    ]);
    expect(s.heard.filter((e) => e.kind === 'watch')).toEqual([{ kind: 'watch', event: { type: 'zk.watch.event', sessionId: 1, event: 'NodeChildrenChanged', path: '/' } }]);
    expect(s.client.watches.child).toEqual([]);
  });

  it('counts the connection lost when silent for two thirds of the timeout', () => {
    const s = new Session(6_000);
    s.cut = true;
    s.tick(2_000); // a ping the server never gets
    s.tick(3_999);
    expect(s.client.connection).toBe('connected');
    s.tick(4_000);
    expect(s.client.connection).toBe('connecting');
  });

  it('when its session expired, opens a new one and tells its owner, who registers its ephemeral znodes again', () => {
    const s = new Session(6_000);
    s.call('register', { type: 'zk.create.request', path: '/controller', data: 1, ephemeral: true }, 1);
    s.cut = true;
    s.server = expireSessions(s.server, 20_000).state;
    expect(s.server.tree.nodes['/controller']).toBeUndefined();
    s.cut = false;
    const lost = connectionLost(s.client, 20_000);
    s.client = lost.state;
    s.apply(lost.effects, 20_000);
    expect(s.heard.filter((e) => e.kind === 'connected').at(-1)).toEqual({ kind: 'connected', sessionId: 2, newSession: true });
    expect(s.client.sessionId).toBe(2);
    expect(s.client.watches).toEqual({ data: [], exist: [], child: [] });
  });
});
