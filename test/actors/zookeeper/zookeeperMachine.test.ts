import { describe, expect, it } from 'vitest';
import { zookeeperMachine } from '../../../actors/zookeeper/zookeeperMachine.ts';
import { roundToNextTick, type ZkServerState } from '../../../actors/zookeeper/zookeeperServer.ts';
import { createWorld, WORLD_NODE_ID, type World } from '../../../src/kernel/World.ts';
import { ZOOKEEPER_NODE_ID, type ZkConnectResponse, type ZkResponse, type ZkWatchEvent } from '../../../src/protocol/zookeeperMessages.ts';

// The ZooKeeper server under the World: the client here is the test, injecting requests and reading what comes back.
function zookeeper(): { world: World; received: Array<ZkResponse | ZkConnectResponse | ZkWatchEvent>; server: () => ZkServerState } {
  const world = createWorld({ seed: 1, network: { defaults: { latency: { kind: 'constant', ms: 1 } } } });
  world.addNode(ZOOKEEPER_NODE_ID, zookeeperMachine);
  const received: Array<ZkResponse | ZkConnectResponse | ZkWatchEvent> = [];
  world.events$.subscribe((event) => {
    if (event.kind === 'delivered' && event.envelope.to === WORLD_NODE_ID) received.push(event.envelope.message as never);
  });
  return { world, received, server: () => (world.snapshot(ZOOKEEPER_NODE_ID)?.context as { server: ZkServerState }).server };
}

const ask = (world: World, message: object) => world.inject(ZOOKEEPER_NODE_ID, message as never);

describe('the ZooKeeper server', () => {
  it('grants a session timeout within 2-20 ticks and expires a silent session on a tick boundary, deleting its ephemeral znodes', () => {
    const { world, received, server } = zookeeper();
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 1_000 });
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 18_000 });
    world.runFor(5);
    const [short, kafka] = received as ZkConnectResponse[];
    expect(short).toMatchObject({ errorCode: 'OK', sessionTimeoutMs: 4_000 });
    expect(kafka).toMatchObject({ errorCode: 'OK', sessionTimeoutMs: 18_000 });
    const sessionId = kafka?.sessionId as number;
    ask(world, { type: 'zk.create.request', sessionId, xid: 1, path: '/controller', data: { brokerid: 1 }, ephemeral: true });
    ask(world, { type: 'zk.exists.request', sessionId: short?.sessionId, xid: 1, path: '/controller', watch: true });
    world.runFor(5);
    expect(server().tree.nodes['/controller']?.stat.ephemeralOwner).toBe(sessionId);
    // The session was last heard from at 6 ms (the create): it expires at the first tick boundary after 18,006 ms.
    const expiry = server().sessions[sessionId]?.expiresAtMs as number;
    expect(expiry).toBe(roundToNextTick(6 + 18_000));
    expect(expiry).toBe(20_000);
    world.runFor(expiry - world.now - 1);
    expect(server().tree.nodes['/controller']).toBeDefined();
    world.runFor(2);
    expect(server().tree.nodes['/controller']).toBeUndefined();
    expect(server().sessions[sessionId]).toBeUndefined();
  });

  it('keeps a session alive while its client pings, and answers SESSIONEXPIRED once it has expired', () => {
    const { world, received, server } = zookeeper();
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 6_000 });
    world.runFor(5);
    const sessionId = (received[0] as ZkConnectResponse).sessionId;
    for (let i = 0; i < 10; i++) {
      ask(world, { type: 'zk.ping.request', sessionId, xid: i });
      world.runFor(2_000);
    }
    expect(server().sessions[sessionId]).toBeDefined();
    world.runFor(10_000);
    expect(server().sessions[sessionId]).toBeUndefined();
    received.length = 0;
    ask(world, { type: 'zk.getData.request', sessionId, xid: 99, path: '/', watch: false });
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 6_000, sessionId });
    world.runFor(5);
    expect(received).toMatchObject([{ type: 'zk.response', xid: 99, errorCode: 'SESSIONEXPIRED' }, { type: 'zk.connect.response', errorCode: 'SESSIONEXPIRED' }]);
  });

  it('sends a watch event to the session that set it, over the bus, before the writer hears back', () => {
    const { world, received } = zookeeper();
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 18_000 });
    world.runFor(5);
    const sessionId = (received[0] as ZkConnectResponse).sessionId;
    ask(world, { type: 'zk.exists.request', sessionId, xid: 1, path: '/controller', watch: true });
    ask(world, { type: 'zk.create.request', sessionId, xid: 2, path: '/controller', data: { brokerid: 2 }, ephemeral: true });
    world.runFor(5);
    expect(received.slice(1).map((m) => (m.type === 'zk.watch.event' ? `${m.event} ${m.path}` : m.type === 'zk.response' ? `${m.type} ${m.xid} ${m.errorCode}` : m.type))).toEqual([
      'zk.response 1 NONODE',
      'NodeCreated /controller',
      'zk.response 2 OK',
    ]);
  });

  it('comes back from a crash with its znodes and sessions (each given its whole timeout again), but no watches', () => {
    const { world, received, server } = zookeeper();
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 6_000 });
    world.runFor(5);
    const sessionId = (received[0] as ZkConnectResponse).sessionId;
    ask(world, { type: 'zk.create.request', sessionId, xid: 1, path: '/brokers', data: null, ephemeral: false });
    ask(world, { type: 'zk.create.request', sessionId, xid: 2, path: '/brokers/1', data: { host: 'b1' }, ephemeral: true });
    ask(world, { type: 'zk.getChildren.request', sessionId, xid: 3, path: '/brokers', watch: true });
    world.runFor(5);
    const zxid = server().tree.zxid;
    world.crash(ZOOKEEPER_NODE_ID);
    world.runFor(3_000);
    world.restart(ZOOKEEPER_NODE_ID);
    world.runFor(1);
    expect(server().tree.zxid).toBe(zxid);
    expect(server().tree.nodes['/brokers/1']?.data).toEqual({ host: 'b1' });
    expect(server().tree.watches).toEqual({ data: {}, child: {} });
    // 3 s after the crash the session would have had 3 s left; a restart gives it 6 s again.
    expect(server().sessions[sessionId]?.expiresAtMs).toBe(roundToNextTick(world.now + 6_000));
    // The client reconnects with its session and its watches, and learns of what changed since it last looked.
    received.length = 0;
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 6_000, sessionId, watches: { relativeZxid: zxid - 1, data: [], exist: ['/controller'], child: ['/brokers'] } });
    world.runFor(5);
    expect(received).toMatchObject([{ type: 'zk.connect.response', errorCode: 'OK', sessionId }, { type: 'zk.watch.event', event: 'NodeChildrenChanged', path: '/brokers' }]);
    expect(server().tree.watches.data['/controller']).toEqual([sessionId]);
  });

  it('closes a session on request: its ephemeral znodes go in one transaction and their watchers hear of it', () => {
    const { world, received, server } = zookeeper();
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 18_000 });
    ask(world, { type: 'zk.connect.request', sessionTimeoutMs: 18_000 });
    world.runFor(5);
    const [owner, watcher] = (received as ZkConnectResponse[]).map((r) => r.sessionId);
    ask(world, { type: 'zk.create.request', sessionId: owner, xid: 1, path: '/controller', data: 1, ephemeral: true });
    ask(world, { type: 'zk.getData.request', sessionId: watcher, xid: 1, path: '/controller', watch: true });
    world.runFor(5);
    const zxid = server().tree.zxid;
    received.length = 0;
    ask(world, { type: 'zk.close.request', sessionId: owner, xid: 2 });
    world.runFor(5);
    expect(server().tree.zxid).toBe(zxid + 1);
    expect(server().tree.nodes['/controller']).toBeUndefined();
    expect(received).toMatchObject([{ type: 'zk.watch.event', sessionId: watcher, event: 'NodeDeleted', path: '/controller' }, { type: 'zk.response', xid: 2, errorCode: 'OK' }]);
  });
});
