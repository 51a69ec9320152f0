import { setProducerIdAndEpoch } from '../../../actors/producer/idempotentSequences.ts';
import { append, createRecordAccumulator } from '../../../actors/producer/recordAccumulator.ts';
import type { RecordAccumulator, SendOptions } from '../../../actors/producer/recordAccumulator.ts';

/** Partition p of topic 't' is led by broker 100 + (p % 2); topic 'x' has no known leader. */
export const leaderOf = (topic: string, partition: number): number => (topic === 't' ? 100 + (partition % 2) : -1);

/** Send options at `nowMs`: linger 5 ms, 5 in flight, 1 MiB requests, no idempotence unless overridden. */
export const send = (nowMs: number, overrides: Partial<SendOptions> = {}): SendOptions => ({
  nowMs,
  leaderOf,
  lingerMs: 5,
  maxInFlightRequestsPerConnection: 5,
  maxRequestSize: 1_048_576,
  enableIdempotence: false,
  ...overrides,
});

/** Send options for an idempotent producer. */
export const idempotent = (nowMs: number, overrides: Partial<SendOptions> = {}): SendOptions => send(nowMs, { enableIdempotence: true, ...overrides });

/** Appends `count` records of a 10-byte value to t-`partition` at `nowMs`. */
export function fill(acc: RecordAccumulator, partition: number, count: number, nowMs = 0, batchSize = 16_384): RecordAccumulator {
  let state = acc;
  for (let i = 0; i < count; i++) state = append(state, { topic: 't', partition, key: null, value: 'v'.repeat(10), id: i }, { nowMs, batchSize }).acc;
  return state;
}

/** An accumulator whose producer has id 7, epoch 0. */
export const withProducer = (acc: RecordAccumulator = createRecordAccumulator()): RecordAccumulator =>
  setProducerIdAndEpoch(acc, { producerId: 7, epoch: 0 });
