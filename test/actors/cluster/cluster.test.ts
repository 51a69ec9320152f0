import { describe, expect, it } from 'vitest';
import type { ProduceRequest, ProduceResponse } from '../../../src/protocol/messages.ts';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { startCluster } from './clusterFixture.ts';

function produce(partition: number, value: string, acks = -1, correlationId = 0): ProduceRequest {
  return {
    type: 'produce.request',
    correlationId,
    acks,
    timeoutMs: 30_000,
    topic: 't',
    partition,
    batch: { baseOffset: -1, leaderEpoch: -1, producerId: -1, producerEpoch: -1, baseSequence: -1, records: [{ key: null, value }] },
  };
}

describe('a KRaft cluster of controller and brokers', () => {
  it('registers and unfences every broker, creates the topic and elects a leader per partition', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const image = cluster.controllerImage();
    expect(Object.values(image.brokers).map((b) => b.fenced)).toEqual([false, false, false]);
    const partitions = image.topics.t?.partitions ?? [];
    expect(partitions).toHaveLength(3);
    for (const partition of partitions) {
      expect(partition.isr).toHaveLength(3);
      expect(partition.replicas).toContain(partition.leader);
    }
    // Every broker replayed the same metadata and took its role.
    for (const id of cluster.brokerIds) {
      expect(cluster.broker(id).image.offset).toBe(image.offset);
      for (const [p, registration] of partitions.entries()) {
        expect(cluster.broker(id).partitions[`t-${p}`]?.leader).toBe(registration.leader);
      }
    }
  });

  it('acknowledges an acks=all write once every ISR member has it, and replicates it to the followers', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    cluster.world.inject(brokerNodeId(leader), produce(0, 'v1') as never);
    cluster.world.runFor(2_000);
    const response = cluster.replies.find((m) => m.type === 'produce.response') as ProduceResponse | undefined;
    expect(response).toMatchObject({ correlationId: 0, baseOffset: 0 });
    expect(response?.errorCode).toBeUndefined();
    for (const id of cluster.brokerIds) {
      const log = cluster.broker(id).partitions['t-0']?.log;
      expect(log?.logEndOffset).toBe(1);
      expect(log?.batches[0]?.records[0]?.value).toBe('v1');
    }
    expect(cluster.broker(leader).partitions['t-0']?.log.highWatermark).toBe(1);
  });

  it('elects a new leader from the ISR when the leader crashes, after broker.session.timeout.ms', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const oldLeader = cluster.leaderOf('t', 0);
    const oldEpoch = cluster.controllerImage().topics.t?.partitions[0]?.leaderEpoch ?? -1;
    cluster.world.crash(brokerNodeId(oldLeader));
    cluster.world.runFor(5_000);
    expect(cluster.leaderOf('t', 0)).toBe(oldLeader);
    cluster.world.runFor(7_000);
    const now = cluster.controllerImage().topics.t?.partitions[0];
    expect(now?.leader).not.toBe(oldLeader);
    expect(now?.leader).toBeGreaterThan(0);
    expect(now?.isr).not.toContain(oldLeader);
    expect(now?.leaderEpoch).toBe(oldEpoch + 1);
  });
});
