import { describe, expect, it } from 'vitest';
import type { KafkajsApp } from '../../src/realclients/kafkajs.ts';
import { withKafkajsCluster, type NoteSeen } from './kafkajsCluster.ts';

const producerApp =
  (records: number): KafkajsApp =>
  async ({ kafka, recorder, nodeId }) => {
    const producer = recorder.producer(kafka, { idempotent: true });
    await producer.connect();
    for (let i = 0; i < records; i++) {
      await producer.send({ topic: 'orders', acks: -1, messages: [{ key: `k${i % 7}`, value: `${nodeId}:${i}` }] });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

const consumerApp: KafkajsApp = async ({ kafka, recorder }) => {
  const consumer = recorder.consumer(kafka, { groupId: 'g1' });
  await consumer.connect();
  await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined });
};

type Completion = { history: 'complete'; type: string; value: { topic: string; partition: number; offset: number; value: string; records?: Array<{ partition: number; offset: number; value: string }> } };
const completions = (notes: NoteSeen[]) => notes.map((n) => ({ node: n.node, ...(n.data as unknown as Completion) })).filter((c) => c.history === 'complete');

describe('kafkajs 2.2.4 against the simulated cluster', () => {
  it('an idempotent producer (acks -1) and a group of three consumers: every send acknowledged and consumed once', async () => {
    const result = await withKafkajsCluster(1, async ({ harness, notes, addApp, world }) => {
      addApp('app-producer', producerApp(40));
      for (const id of ['app-c1', 'app-c2', 'app-c3']) addApp(id, consumerApp);
      await harness.runFor(25_000);
      return { notes, traceHash: world.traceHash() };
    });
    const done = completions(result.notes);
    const acked = done.filter((c) => c.node === 'app-producer' && c.type === 'ok');
    expect(acked).toHaveLength(40);
    expect(result.notes.filter((n) => (n.data as { app?: string }).app === 'failed')).toEqual([]);
    // Offsets per partition are 0, 1, 2, ... in send order: one batch per send, appended once each.
    const byPartition = new Map<number, number[]>();
    for (const c of acked) byPartition.set(c.value.partition, [...(byPartition.get(c.value.partition) ?? []), c.value.offset]);
    for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => i));
    const consumed = done.filter((c) => c.node.startsWith('app-c')).flatMap((c) => (c.value.records ?? []).map((r) => ({ node: c.node, ...r })));
    expect(consumed.map((r) => r.value).sort()).toEqual(acked.map((c) => c.value.value).sort());
    // The group spread the six partitions over its members: each partition read by one member only.
    const readers = new Map<number, Set<string>>();
    for (const r of consumed) readers.set(r.partition, new Set([...(readers.get(r.partition) ?? []), r.node]));
    expect([...readers.values()].every((nodes) => nodes.size === 1)).toBe(true);
    expect(new Set(consumed.map((r) => r.node)).size).toBe(3);
  });

  it('same seed, same traceHash; another seed, another run', async () => {
    const run = (seed: number) =>
      withKafkajsCluster(seed, async ({ harness, addApp, world }) => {
        addApp('app-producer', producerApp(10));
        addApp('app-c1', consumerApp);
        await harness.runFor(8_000);
        return world.traceHash();
      });
    const first = await run(7);
    expect(await run(7)).toBe(first);
    expect(await run(8)).not.toBe(first);
  });

  it('the harness gives the real globals back', async () => {
    const before = { setTimeout: globalThis.setTimeout, random: Math.random, Date: globalThis.Date };
    await withKafkajsCluster(1, async ({ harness }) => {
      expect(Date.now()).toBe(1_704_067_200_000 + 3_000);
      await harness.runFor(10);
    });
    expect(globalThis.setTimeout).toBe(before.setTimeout);
    expect(Math.random).toBe(before.random);
    expect(globalThis.Date).toBe(before.Date);
  });
});
