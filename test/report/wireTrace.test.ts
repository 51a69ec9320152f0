import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/kernel/World.ts';
import { readWireTrace } from '../../src/report/wireTrace.ts';
import type { ReplayCapsule } from '../../src/scenario/capsule.ts';
import { runResolvedScenarioAsync } from '../../src/scenario/runResolvedScenario.ts';

describe('readWireTrace', () => {
  it("shows a kafkajs client's bytes as the Kafka requests and responses they carry, Produce in full", async () => {
    const capsule = JSON.parse(readFileSync('properties/counterexamples/kafkajs-sequence-reuse.json', 'utf8')) as ReplayCapsule;
    let world: World | undefined;
    await runResolvedScenarioAsync(capsule.scenario, { trace: 'full', onWorld: (w) => (world = w) });
    const raw = (world as World).trace();
    const read = readWireTrace(raw);
    expect(read).toHaveLength(raw.length);
    const sent = read.flatMap((e) => (e.kind === 'sent' ? [e as typeof e & { message: Record<string, unknown> }] : []));
    // The producer's send of app-producer:1:15 and the answer that acknowledged it at offset 14.
    const produce = sent.find((e) => e.from === 'app-producer' && e.message.type === 'produce.request' && JSON.stringify(e.message.partitions).includes('app-producer:1:15'));
    expect(produce?.message.wire).toMatch(/^Produce v7, socket \d+$/);
    const answer = sent.find((e) => e.to === 'app-producer' && e.from === produce?.to && e.message.type === 'produce.response' && e.message.correlationId === produce?.message.correlationId);
    expect(answer?.message.partitions).toEqual([{ topic: 'events', partition: 0, baseOffset: 14 }]);
    // Other APIs are named; nothing of the simulator's own messages changes.
    expect(sent.some((e) => e.message.type === 'apiVersions.request' && e.from === 'app-producer')).toBe(true);
    const untouched = raw.filter((e) => e.kind !== 'sent' || (e.message as { type?: string }).type !== 'tcp.data');
    expect(read.filter((e) => untouched.includes(e))).toHaveLength(untouched.length);
  });
});
