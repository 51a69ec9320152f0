import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { controllerMachine } from '../../../actors/controller/controllerMachine.ts';
import type { MetadataImage } from '../../../actors/controller/metadataImage.ts';
import { createWorld } from '../../../src/kernel/World.ts';
import { CONTROLLER_NODE_ID } from '../../../src/protocol/nodeIds.ts';

// QuorumController fences a broker at the moment its session expires (a deferred event at the earliest expiry,
// rescheduleMaybeFenceStaleBrokers), not at its next periodic check. A new incarnation that registers just after
// the expiry therefore finds its old self fenced and its leaderships moved. Checked once a second instead, a
// registration in that second found the old incarnation unfenced, and (with ELR off, Kafka 3.9, where the
// unclean-shutdown handling does nothing) the restarted broker kept its leaderships in the same leader epoch.
describe('stale broker sessions', () => {
  it('are fenced when they expire, so a registration right after the expiry finds the partitions moved', () => {
    const world = createWorld({ seed: 1, network: { defaults: { latency: { kind: 'constant', ms: 0 } } } });
    world.addNode(CONTROLLER_NODE_ID, controllerMachine, {
      input: { brokerIds: [1, 2, 3], topics: [{ name: 't', numPartitions: 1, replicationFactor: 3 }], config: { eligibleLeaderReplicasVersion: 0 } },
    });
    // The brokers are played by hand here; their nodes only take the controller's pushes.
    for (const brokerId of [1, 2, 3]) world.addNode(`broker-${brokerId}`, createMachine({}));
    const image = () => (world.snapshot(CONTROLLER_NODE_ID)?.context as { image: MetadataImage }).image;
    const heartbeat = (brokerId: number) =>
      world.inject(CONTROLLER_NODE_ID, { type: 'broker.heartbeat', brokerId, brokerEpoch: image().brokers[brokerId]?.epoch ?? -1, currentMetadataOffset: 1_000, wantFence: false } as never);
    for (const brokerId of [1, 2, 3]) world.inject(CONTROLLER_NODE_ID, { type: 'broker.register', brokerId, incarnationId: `a${brokerId}` } as never);
    world.runFor(10);
    for (const brokerId of [1, 2, 3]) heartbeat(brokerId);
    world.runFor(1_500);
    const leader = image().topics.t?.partitions[0]?.leader ?? -1;
    expect(leader).toBeGreaterThan(0);
    // Everyone but the leader keeps heartbeating; the leader's session (9 s) runs out.
    const lastHeartbeatMs = image().brokers[leader]?.lastHeartbeatMs ?? 0;
    const expiryMs = lastHeartbeatMs + 9_000;
    while (world.now + 1_000 < expiryMs) {
      world.runFor(1_000);
      for (const brokerId of [1, 2, 3]) if (brokerId !== leader) heartbeat(brokerId);
    }
    // Half a millisecond after the expiry, well before the controller's next periodic tick.
    world.runFor(expiryMs + 0.5 - world.now);
    expect(image().topics.t?.partitions[0]?.leader).not.toBe(leader);
    world.inject(CONTROLLER_NODE_ID, { type: 'broker.register', brokerId: leader, incarnationId: 'after-crash' } as never);
    world.runFor(1);
    const partition = image().topics.t?.partitions[0];
    expect(partition?.leader).not.toBe(leader);
    expect(partition?.isr).not.toContain(leader);
    expect(partition?.leaderEpoch).toBe(1);
  });
});
