import { describe, expect, it } from 'vitest';
import { appendAsLeader } from '../../../actors/broker/partitionLog.ts';
import {
  NUM_BATCHES_TO_RETAIN,
  checkIdempotentAppend,
  rebuildProducerState,
  recordAppend,
  retainedBatches,
} from '../../../actors/broker/producerState.ts';
import type { ProducerBatch, ProducerStates } from '../../../actors/broker/producerState.ts';
import { emptyReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import type { ReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import { records } from './logFixtures.ts';

const INT32_MAX = 2_147_483_647;
const batch = (producerEpoch: number, baseSequence: number, count = 2, producerId = 7): ProducerBatch => ({
  producerId,
  producerEpoch,
  baseSequence,
  records: records(count, `s${baseSequence}-`),
});

// What a leader does with a Produce: check, then append and remember, or answer from the check.
interface Partition {
  readonly log: ReplicaLog;
  readonly producers: ProducerStates;
}
function produce(partition: Partition, request: ProducerBatch): { partition: Partition; answer: ReturnType<typeof checkIdempotentAppend> | { baseOffset: number } } {
  const check = checkIdempotentAppend(partition.producers, request);
  if (check.kind !== 'append') return { partition, answer: check };
  const appended = appendAsLeader(partition.log, request.records, { leaderEpoch: 0, producer: request });
  const producers = recordAppend(partition.producers, request, appended);
  return { partition: { log: appended.log, producers }, answer: { baseOffset: appended.baseOffset } };
}

describe('producerState', () => {
  it('answers an idempotent retry with the original offsets and does not append it again', () => {
    let partition: Partition = { log: emptyReplicaLog(), producers: {} };
    partition = produce(partition, batch(0, 0, 3)).partition;
    partition = produce(partition, batch(0, 3, 2)).partition;
    const retry = produce(partition, batch(0, 0, 3));
    expect(retry.answer).toEqual({ kind: 'duplicate', baseOffset: 0, lastOffset: 2 });
    expect(retry.partition.log.logEndOffset).toBe(5);
  });

  it('accepts the next sequence and refuses a gap with OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    const states = recordAppend({}, batch(0, 0, 2), { baseOffset: 0 });
    expect(checkIdempotentAppend(states, batch(0, 2))).toEqual({ kind: 'append' });
    expect(checkIdempotentAppend(states, batch(0, 3))).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(checkIdempotentAppend(states, batch(0, 1))).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('refuses an older producer epoch with INVALID_PRODUCER_EPOCH', () => {
    const states = recordAppend({}, batch(3, 0), { baseOffset: 0 });
    expect(checkIdempotentAppend(states, batch(2, 2))).toEqual({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
  });

  it('requires a new epoch to start at sequence 0', () => {
    const states = recordAppend({}, batch(3, 0), { baseOffset: 0 });
    expect(checkIdempotentAppend(states, batch(4, 0))).toEqual({ kind: 'append' });
    expect(checkIdempotentAppend(states, batch(4, 2))).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('accepts any sequence from a producer it has no state for (KIP-360)', () => {
    expect(checkIdempotentAppend({}, batch(0, 42))).toEqual({ kind: 'append' });
  });

  it('appends batches without a producer id unchecked and remembers nothing for them', () => {
    const plain = { ...batch(-1, -1), producerId: -1 };
    expect(checkIdempotentAppend({}, plain)).toEqual({ kind: 'append' });
    expect(recordAppend({}, plain, { baseOffset: 0 })).toEqual({});
  });

  it('wraps the sequence after Integer.MAX_VALUE', () => {
    const states = recordAppend({}, batch(0, INT32_MAX - 1, 2), { baseOffset: 0 });
    expect(states[7]?.batches[0]).toEqual({ firstSeq: INT32_MAX - 1, lastSeq: INT32_MAX, firstOffset: 0, lastOffset: 1 });
    expect(checkIdempotentAppend(states, batch(0, 0))).toEqual({ kind: 'append' });
    const wrapping = recordAppend({}, batch(0, INT32_MAX, 3), { baseOffset: 0 });
    expect(wrapping[7]?.batches[0]?.lastSeq).toBe(1);
    expect(checkIdempotentAppend(wrapping, batch(0, 2))).toEqual({ kind: 'append' });
  });

  it('keeps the last 5 batches: a retry of an older one is no longer recognised', () => {
    let states: ProducerStates = {};
    for (let n = 0; n < NUM_BATCHES_TO_RETAIN + 1; n++) states = recordAppend(states, batch(0, 2 * n), { baseOffset: 2 * n });
    expect(states[7]?.batches).toHaveLength(5);
    expect(checkIdempotentAppend(states, batch(0, 2))).toEqual({ kind: 'duplicate', baseOffset: 2, lastOffset: 3 });
    expect(checkIdempotentAppend(states, batch(0, 0))).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('keeps one batch under dedup-window-one-batch (bug P3): a retry of the batch before the last is out of order', () => {
    const retain = retainedBatches({ dedupWindowOneBatch: true });
    expect(retain).toBe(1);
    expect(retainedBatches({ dedupWindowOneBatch: false })).toBe(NUM_BATCHES_TO_RETAIN);
    let states: ProducerStates = {};
    for (let n = 0; n < 2; n++) states = recordAppend(states, batch(0, 2 * n), { baseOffset: 2 * n }, retain);
    expect(states[7]?.batches).toHaveLength(1);
    expect(checkIdempotentAppend(states, batch(0, 2))).toEqual({ kind: 'duplicate', baseOffset: 2, lastOffset: 3 });
    expect(checkIdempotentAppend(states, batch(0, 0))).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  it('forgets the old epoch batches when the producer bumps its epoch', () => {
    let states = recordAppend({}, batch(0, 0), { baseOffset: 0 });
    states = recordAppend(states, batch(1, 0), { baseOffset: 2 });
    expect(states[7]).toEqual({ producerEpoch: 1, batches: [{ firstSeq: 0, lastSeq: 1, firstOffset: 2, lastOffset: 3 }] });
    expect(checkIdempotentAppend(states, batch(0, 0))).toEqual({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
  });

  it('keeps producers apart', () => {
    const states = recordAppend({}, batch(0, 0, 2, 1), { baseOffset: 0 });
    expect(checkIdempotentAppend(states, batch(0, 5, 2, 2))).toEqual({ kind: 'append' });
    expect(Object.keys(recordAppend(states, batch(0, 5, 2, 2), { baseOffset: 2 }))).toEqual(['1', '2']);
  });

  it('still recognises retries after a JSON round trip (producer ids become string keys)', () => {
    const persisted = JSON.parse(JSON.stringify(recordAppend({}, batch(0, 0), { baseOffset: 4 }))) as ProducerStates;
    expect(checkIdempotentAppend(persisted, batch(0, 0))).toEqual({ kind: 'duplicate', baseOffset: 4, lastOffset: 5 });
  });

  it('rebuilds the same state from the log, so a new leader recognises retries', () => {
    let partition: Partition = { log: emptyReplicaLog(), producers: {} };
    for (const request of [batch(0, 0), batch(0, 2, 3, 9), batch(0, 2), batch(1, 0)]) partition = produce(partition, request).partition;
    expect(rebuildProducerState(partition.log.batches)).toEqual(partition.producers);
  });
});
