import { describe, expect, it } from 'vitest';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { startCluster } from './clusterFixture.ts';

// Controlled shutdown (BrokerLifecycleManager, BrokerHeartbeatManager#calculateNextBrokerState,
// ReplicationControlManager#handleBrokerInControlledShutdown): the stopping broker's leaderships move before it
// exits, not a session timeout after.
describe('controlled shutdown', () => {
  it('moves every leadership away at once, then lets the broker exit once every other broker has replayed that (their next heartbeats)', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const led = [0, 1, 2].filter((p) => cluster.leaderOf('t', p) === 1);
    expect(led.length).toBeGreaterThan(0);
    cluster.world.applyFault({ atMs: cluster.world.now, kind: 'shutdown', node: brokerNodeId(1) });
    cluster.world.runFor(500);
    // Well within broker.session.timeout.ms (9 s): the leaders moved because the broker asked.
    for (const p of led) expect(cluster.leaderOf('t', p)).not.toBe(1);
    for (const p of [0, 1, 2]) expect(cluster.controllerImage().topics.t?.partitions[p]?.isr).not.toContain(1);
    expect(cluster.world.status(brokerNodeId(1))).toBe('up');
    // The others report the offset they replayed in their heartbeats, every broker.heartbeat.interval.ms (2 s).
    cluster.world.runFor(4_500);
    expect(cluster.world.status(brokerNodeId(1))).toBe('down');
    expect(cluster.controllerImage().brokers[1]).toMatchObject({ fenced: true, inControlledShutdown: true });
  });

  it('the restarted broker registers with its previous epoch, so the controller treats it as clean, and it rejoins the ISR', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const epochBefore = cluster.controllerImage().brokers[1]?.epoch;
    cluster.world.applyFault({ atMs: cluster.world.now, kind: 'shutdown', node: brokerNodeId(1) });
    cluster.world.runFor(5_000);
    expect(cluster.world.status(brokerNodeId(1))).toBe('down');
    cluster.world.restart(brokerNodeId(1));
    cluster.world.runFor(1);
    expect(cluster.broker(1).previousBrokerEpoch).toBe(epochBefore);
    cluster.world.runFor(15_000);
    expect(cluster.controllerImage().brokers[1]).toMatchObject({ fenced: false });
    expect(cluster.controllerImage().brokers[1]?.inControlledShutdown).toBeUndefined();
    for (const p of [0, 1, 2]) expect(cluster.controllerImage().topics.t?.partitions[p]?.isr).toContain(1);
  });

  it('a broker that cannot reach the controller gives up after 5 minutes and exits anyway', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    cluster.world.applyFault({ atMs: cluster.world.now, kind: 'partition', groups: [['broker-1'], ['controller', 'broker-2', 'broker-3']] });
    cluster.world.applyFault({ atMs: cluster.world.now, kind: 'shutdown', node: brokerNodeId(1) });
    cluster.world.runFor(299_000);
    expect(cluster.world.status(brokerNodeId(1))).toBe('up');
    cluster.world.runFor(2_000);
    expect(cluster.world.status(brokerNodeId(1))).toBe('down');
  });

  it('a restart asked while the broker is still stopping waits for its exit, then starts it (a service manager restart)', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const id = brokerNodeId(1);
    cluster.world.applyFault({ atMs: cluster.world.now, kind: 'shutdown', node: id });
    cluster.world.runFor(500);
    expect(cluster.world.isStopping(id)).toBe(true);
    cluster.world.restart(id);
    expect(cluster.world.status(id)).toBe('up');
    // It exits once the others have replayed its shutdown (their next heartbeats), and is started again at once:
    // a restarted incarnation registers with the epoch its clean shutdown left.
    const epochBefore = cluster.controllerImage().brokers[1]?.epoch;
    cluster.world.runFor(4_500);
    expect(cluster.world.status(id)).toBe('up');
    expect(cluster.world.isStopping(id)).toBe(false);
    expect(cluster.broker(1).previousBrokerEpoch).toBe(epochBefore);
    // A restart of a broker that is neither down nor stopping does nothing.
    cluster.world.restart(brokerNodeId(2));
    expect(cluster.world.isStopping(brokerNodeId(2))).toBe(false);
  });
});
