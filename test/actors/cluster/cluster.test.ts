import { describe, expect, it } from 'vitest';
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse, RecordBatch } from '../../../src/protocol/messages.ts';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { batchSizeBytes } from '../../../src/protocol/recordSize.ts';
import { startCluster } from './clusterFixture.ts';

function recordBatch(value: string, producer = { producerId: -1, producerEpoch: -1, baseSequence: -1 }): RecordBatch {
  const records = [{ key: null, value }];
  return { baseOffset: -1, leaderEpoch: -1, ...producer, sizeInBytes: batchSizeBytes(records), records };
}

function produce(partition: number, value: string, acks = -1, correlationId = 0): ProduceRequest {
  return { type: 'produce.request', correlationId, acks, timeoutMs: 30_000, partitions: [{ topic: 't', partition, batch: recordBatch(value) }] };
}

/** Each produce.response the cluster sent, as its correlation id with its first (in these tests, only) partition's answer. */
function produceAnswers(replies: readonly { type: string }[]): Array<{ correlationId: number } & ProducePartitionResponse> {
  return replies
    .filter((m): m is ProduceResponse => m.type === 'produce.response')
    .map((m) => ({ correlationId: m.correlationId, ...(m.partitions[0] as ProducePartitionResponse) }));
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
    const response = produceAnswers(cluster.replies)[0];
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

describe('ISR and the high watermark under min.insync.replicas (RF 3, min ISR 2)', () => {
  const config = {
    replicaLagTimeMaxMs: 2_000,
    replicaSocketTimeoutMs: 1_500,
    topicMinInsyncReplicas: { t: 2 },
  };

  // Cuts the leader off from both followers, in both directions; the controller still hears everyone.
  function isolateFollowers(cluster: ReturnType<typeof startCluster>, leader: number): void {
    for (const id of cluster.brokerIds) {
      if (id === leader) continue;
      cluster.world.setLink(brokerNodeId(id), brokerNodeId(leader), { dropProbability: 1 });
      cluster.world.setLink(brokerNodeId(leader), brokerNodeId(id), { dropProbability: 1 });
    }
  }

  it('shrinks the ISR to the leader when followers stop fetching, expands it again once they catch up', () => {
    const cluster = startCluster({ brokerConfig: config });
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    isolateFollowers(cluster, leader);
    // Lag is measured against the leader's LEO: an idle follower that has everything stays in sync (Kafka's rule).
    cluster.world.runFor(5_000);
    expect(cluster.controllerImage().topics.t?.partitions[0]?.isr).toHaveLength(3);
    cluster.world.inject(brokerNodeId(leader), produce(0, 'one', 1, 1) as never);
    cluster.world.runFor(5_000);
    expect(cluster.controllerImage().topics.t?.partitions[0]?.isr).toEqual([leader]);
    expect(cluster.broker(leader).partitions['t-0']?.isr).toEqual([leader]);
    cluster.world.heal();
    cluster.world.runFor(5_000);
    expect([...(cluster.controllerImage().topics.t?.partitions[0]?.isr ?? [])].sort()).toEqual([1, 2, 3]);
  });

  it('rejects acks=all with NOT_ENOUGH_REPLICAS before appending while the ISR is below the minimum; acks=1 appends but the HW stays frozen', () => {
    const cluster = startCluster({ brokerConfig: config });
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    isolateFollowers(cluster, leader);
    cluster.world.inject(brokerNodeId(leader), produce(0, 'one', 1, 2) as never);
    cluster.world.runFor(5_000);
    expect(cluster.broker(leader).partitions['t-0']?.isr).toEqual([leader]);
    cluster.world.inject(brokerNodeId(leader), produce(0, 'all', -1, 1) as never);
    cluster.world.runFor(1_000);
    const answers = produceAnswers(cluster.replies);
    expect(answers.find((a) => a.correlationId === 1)?.errorCode).toBe('NOT_ENOUGH_REPLICAS');
    expect(answers.find((a) => a.correlationId === 2)).toMatchObject({ baseOffset: 0 });
    const log = cluster.broker(leader).partitions['t-0']?.log;
    expect(log?.batches.map((b) => b.records[0]?.value)).toEqual(['one']);
    expect(log?.highWatermark).toBe(0);
  });

  it('before Kafka 3.7 (no HW freeze) answers a waiting acks=all write NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrinks under it', () => {
    const cluster = startCluster({ brokerConfig: { ...config, freezeHighWatermarkBelowMinIsr: false } });
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    isolateFollowers(cluster, leader);
    cluster.world.inject(brokerNodeId(leader), produce(0, 'w', -1, 7) as never);
    cluster.world.runFor(5_000);
    const answer = produceAnswers(cluster.replies)[0];
    expect(answer).toMatchObject({ correlationId: 7, errorCode: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' });
    // The data was written: that is what tells AFTER_APPEND apart.
    expect(cluster.broker(leader).partitions['t-0']?.log.logEndOffset).toBe(1);
  });
});

describe('failover and truncation by leader epoch (KIP-101/279)', () => {
  it("a restarted old leader truncates the unreplicated acks=1 write that the new leader's epoch overwrote", () => {
    const cluster = startCluster({ brokerConfig: { replicaSocketTimeoutMs: 1_500 } });
    cluster.world.runFor(5_000);
    const oldLeader = cluster.leaderOf('t', 0);
    for (const id of cluster.brokerIds) {
      if (id !== oldLeader) cluster.world.setLink(brokerNodeId(oldLeader), brokerNodeId(id), { dropProbability: 1 });
    }
    cluster.world.inject(brokerNodeId(oldLeader), produce(0, 'lost', 1, 1) as never);
    cluster.world.runFor(100);
    expect(cluster.broker(oldLeader).partitions['t-0']?.log.logEndOffset).toBe(1);
    cluster.world.crash(brokerNodeId(oldLeader));
    cluster.world.heal();
    cluster.world.runFor(12_000);
    const newLeader = cluster.leaderOf('t', 0);
    expect(newLeader).not.toBe(oldLeader);
    cluster.world.inject(brokerNodeId(newLeader), produce(0, 'kept', -1, 2) as never);
    cluster.world.runFor(1_000);
    cluster.world.restart(brokerNodeId(oldLeader));
    cluster.world.runFor(15_000);
    const values = (id: number) => cluster.broker(id).partitions['t-0']?.log.batches.flatMap((b) => b.records.map((r) => r.value));
    expect(values(newLeader)).toEqual(['kept']);
    expect(values(oldLeader)).toEqual(['kept']);
    expect(cluster.broker(oldLeader).partitions['t-0']?.log.epochCache.at(-1)?.epoch).toBe(cluster.controllerImage().topics.t?.partitions[0]?.leaderEpoch);
  });
});

describe('produce on the leader', () => {
  it('never answers acks=0, but appends the records', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    cluster.world.inject(brokerNodeId(leader), produce(0, 'fire-and-forget', 0, 3) as never);
    cluster.world.runFor(2_000);
    expect(cluster.replies.filter((m) => m.type === 'produce.response')).toEqual([]);
    expect(cluster.broker(leader).partitions['t-0']?.log.logEndOffset).toBe(1);
  });

  it("answers an idempotent producer's retried batch with the original offsets, without appending it again", () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    const batch = (baseSequence: number, value: string): ProduceRequest => ({
      ...produce(0, value, -1, baseSequence),
      partitions: [{ topic: 't', partition: 0, batch: recordBatch(value, { producerId: 42, producerEpoch: 0, baseSequence }) }],
    });
    cluster.world.inject(brokerNodeId(leader), batch(0, 'a') as never);
    cluster.world.inject(brokerNodeId(leader), batch(1, 'b') as never);
    cluster.world.runFor(1_000);
    cluster.world.inject(brokerNodeId(leader), batch(0, 'a') as never);
    cluster.world.runFor(1_000);
    const answers = produceAnswers(cluster.replies);
    expect(answers.map((a) => [a.correlationId, a.baseOffset, a.errorCode])).toEqual([
      [0, 0, undefined],
      [1, 1, undefined],
      [0, 0, undefined],
    ]);
    expect(cluster.broker(leader).partitions['t-0']?.log.logEndOffset).toBe(2);
    // A gap in the sequence is refused.
    cluster.world.inject(brokerNodeId(leader), batch(5, 'gap') as never);
    cluster.world.runFor(1_000);
    expect(produceAnswers(cluster.replies).at(-1)).toMatchObject({ correlationId: 5, errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });
});

describe('a ProduceRequest of several partitions', () => {
  it('is answered once, per partition: what this broker leads is appended, the rest get NOT_LEADER_OR_FOLLOWER', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    const led = [0, 1, 2].filter((p) => cluster.leaderOf('t', p) === leader);
    const notLed = [0, 1, 2].filter((p) => cluster.leaderOf('t', p) !== leader);
    expect(notLed.length).toBeGreaterThan(0);
    const request: ProduceRequest = {
      type: 'produce.request',
      correlationId: 9,
      acks: -1,
      timeoutMs: 30_000,
      partitions: [0, 1, 2].map((partition) => ({ topic: 't', partition, batch: recordBatch(`v${partition}`) })),
    };
    cluster.world.inject(brokerNodeId(leader), request as never);
    cluster.world.runFor(2_000);
    const responses = cluster.replies.filter((m): m is ProduceResponse & { from: string } => m.type === 'produce.response');
    expect(responses).toHaveLength(1);
    const byPartition = new Map(responses[0]?.partitions.map((p) => [p.partition, p]));
    for (const p of led) expect(byPartition.get(p)).toEqual({ topic: 't', partition: p, baseOffset: 0 });
    for (const p of notLed) expect(byPartition.get(p)).toEqual({ topic: 't', partition: p, baseOffset: -1, errorCode: 'NOT_LEADER_OR_FOLLOWER' });
    for (const p of led) expect(cluster.broker(leader).partitions[`t-${p}`]?.log.highWatermark).toBe(1);
  });

  it('acks=all: waits for every partition to be replicated, and answers them together', () => {
    const cluster = startCluster({ brokerConfig: { minInsyncReplicas: 2 } });
    cluster.world.runFor(5_000);
    const leader = cluster.leaderOf('t', 0);
    // A follower is cut off: the writes cannot commit (the HW waits for the whole ISR) until the controller fences
    // it (broker.session.timeout.ms) and takes it out of the ISR.
    const led = [0, 1, 2].filter((p) => cluster.leaderOf('t', p) === leader);
    const request: ProduceRequest = {
      type: 'produce.request',
      correlationId: 4,
      acks: -1,
      timeoutMs: 60_000,
      partitions: led.map((partition) => ({ topic: 't', partition, batch: recordBatch(`v${partition}`) })),
    };
    const follower = cluster.brokerIds.find((id) => id !== leader) as number;
    cluster.world.partition({ isolate: brokerNodeId(follower) });
    cluster.world.inject(brokerNodeId(leader), request as never);
    cluster.world.runFor(1_000);
    expect(cluster.replies.filter((m) => m.type === 'produce.response')).toEqual([]);
    cluster.world.runFor(40_000);
    const responses = produceAnswers(cluster.replies);
    expect(responses.map((r) => [r.partition, r.baseOffset, r.errorCode])).toEqual(led.map((p) => [p, 0, undefined]));
  });
});

describe('the controller', () => {
  it('loses nothing in a crash: it replays its metadata log on restart, and a broker failure after it is still handled', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const before = cluster.controllerImage();
    cluster.world.crash('controller');
    cluster.world.runFor(3_000);
    cluster.world.restart('controller');
    cluster.world.runFor(3_000);
    const after = cluster.controllerImage();
    expect(after.topics).toEqual(before.topics);
    expect(Object.values(after.brokers).map((b) => [b.id, b.epoch, b.fenced])).toEqual(Object.values(before.brokers).map((b) => [b.id, b.epoch, b.fenced]));
    // Sessions restart at activation (heartbeat times are soft state), so a crash is noticed a session later.
    const leader = cluster.leaderOf('t', 0);
    cluster.world.crash(brokerNodeId(leader));
    cluster.world.runFor(12_000);
    expect(cluster.leaderOf('t', 0)).not.toBe(leader);
    expect(cluster.controllerImage().brokers[leader]?.fenced).toBe(true);
  });
});

describe('a broker that has not caught up with the metadata log', () => {
  it('refuses every request with a connection reset until its first heartbeat answer, then takes the ApiVersions handshake', () => {
    const cluster = startCluster();
    cluster.world.runFor(5_000);
    const apiVersions = (correlationId: number) => ({ type: 'apiVersions.request', correlationId }) as never;
    // Restarted at once, the new incarnation is refused (DUPLICATE_BROKER_REGISTRATION) while the old one's session
    // lasts (broker.session.timeout.ms, 9 s): it cannot catch up, and keeps its listeners closed.
    cluster.world.crash(brokerNodeId(1));
    cluster.world.restart(brokerNodeId(1));
    cluster.world.runFor(1_000);
    cluster.world.inject(brokerNodeId(1), apiVersions(1));
    cluster.world.inject(brokerNodeId(1), produce(0, 'early', 0, 2) as never);
    cluster.world.runFor(100);
    expect(cluster.broker(1).caughtUp).toBe(false);
    const early = cluster.replies.filter((m) => m.from === 'broker-1').map((m) => m.type);
    expect(early.length).toBeGreaterThan(0);
    expect(new Set(early)).toEqual(new Set(['connection.reset']));
    expect(cluster.broker(1).partitions['t-0']?.log.logEndOffset ?? 0).toBe(0);
    cluster.world.runFor(15_000);
    expect(cluster.broker(1).caughtUp).toBe(true);
    cluster.world.inject(brokerNodeId(1), apiVersions(3));
    cluster.world.runFor(100);
    const later = cluster.replies.filter((m) => m.from === 'broker-1').slice(early.length);
    expect(later.map((m) => [m.type, (m as { correlationId?: number }).correlationId])).toEqual([['apiVersions.response', 3]]);
  });
});
