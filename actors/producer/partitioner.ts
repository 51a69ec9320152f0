import { ArgumentError } from '../../src/kernel/argumentError.ts';
import { partitionForKey, toPositive } from '../../src/protocol/index.ts';
import { drawInt } from './Draw.ts';
import type { Draw } from './Draw.ts';
import type { NullKeyPartitioner } from './producerDefaults.ts';

/** The partitioner's memory, JSON-safe: the round-robin counter and the sticky partition, per topic. */
export interface PartitionerState {
  readonly counters: Readonly<Record<string, number>>;
  readonly sticky: Readonly<Record<string, number>>;
}

/** What the partitioner sees of one record and of the topic's metadata. */
export interface PartitionInput {
  readonly topic: string;
  readonly key: string | null;
  /** The record's explicit partition; null or undefined when the producer should choose. */
  readonly partition?: number | null;
  readonly numPartitions: number;
  /** The partitions that have a leader (`leader >= 0`), from the producer's metadata. */
  readonly availablePartitions: readonly number[];
}

/** The chosen partition and the partitioner's next state. */
export interface PartitionChoice {
  readonly partition: number;
  readonly state: PartitionerState;
}

/** The null-key rule and the draw it may use. */
export interface PartitionerOptions {
  readonly partitioner: NullKeyPartitioner;
  readonly draw: Draw;
}

/** A partitioner that has placed nothing yet. */
export function emptyPartitionerState(): PartitionerState {
  return { counters: {}, sticky: {} };
}

/**
 * Chooses the partition for a record (`KafkaProducer#partition`): an explicit partition wins, even 0; a non-null key
 * (including "") goes to `toPositive(murmur2(utf8(key))) % numPartitions`, counted over all partitions with or
 * without a leader; a null key follows the null-key rule:
 * - 'round-robin' (Java's DefaultPartitioner before 2.4, the seeds' rule): a per-topic counter, started at a
 *   drawn int and incremented per record, indexes the available partitions (those with a leader), or all
 *   partitions when none is available. kafkajs does the same over available partitions (it pre-increments);
 * - 'sticky' (KIP-480's StickyPartitionCache, 2.4-3.2): the topic's sticky partition, drawn on first use; it
 *   changes only through `onNewBatch`.
 */
export function choosePartition(state: PartitionerState, input: PartitionInput, options: PartitionerOptions): PartitionChoice {
  checkInput(input);
  if (input.partition !== null && input.partition !== undefined) return { partition: input.partition, state };
  if (input.key !== null) return { partition: partitionForKey(input.key, input.numPartitions), state };
  if (options.partitioner === 'sticky') {
    const current = ownValue(state.sticky, input.topic);
    if (current !== undefined) return { partition: current, state };
    const next = onNewBatch(state, { ...input, prevPartition: -1 }, options.draw);
    return { partition: ownValue(next.sticky, input.topic) ?? -1, state: next };
  }
  const counter = ownValue(state.counters, input.topic) ?? randomInt(options.draw);
  const candidates = input.availablePartitions.length > 0 ? input.availablePartitions : allPartitions(input.numPartitions);
  const partition = candidates[toPositive(counter) % candidates.length] ?? -1;
  // AtomicInteger#getAndIncrement: Java int wrap-around.
  return { partition, state: { ...state, counters: { ...state.counters, [input.topic]: (counter + 1) | 0 } } };
}

/** The topic and the partition whose batch filled up or was sent, with the topic's metadata. */
export interface NewBatchInput {
  readonly topic: string;
  readonly prevPartition: number;
  readonly numPartitions: number;
  readonly availablePartitions: readonly number[];
}

/**
 * Moves a topic's sticky partition after a new batch had to be created on it (`StickyPartitionCache#nextPartition`):
 * only when `prevPartition` is the current sticky one (or there is none yet); to a random available partition
 * different from the old one, the only available one, or a random partition when none is available. The producer
 * calls it when a null-key record would open a new batch on the sticky partition (`hasRoomFor` is false: the batch
 * filled up or was sent) and then chooses again, as `RecordAccumulator#append` with `abortOnNewBatch` does.
 */
export function onNewBatch(state: PartitionerState, input: NewBatchInput, draw: Draw): PartitionerState {
  const old = ownValue(state.sticky, input.topic);
  if (old !== undefined && old !== input.prevPartition) return state;
  const available = input.availablePartitions;
  let next: number;
  if (available.length === 0) {
    next = drawInt(draw, input.numPartitions);
  } else if (available.length === 1) {
    next = available[0] ?? -1;
  } else {
    do {
      next = available[drawInt(draw, available.length)] ?? -1;
    } while (next === old);
  }
  return { ...state, sticky: { ...state.sticky, [input.topic]: next } };
}

// ThreadLocalRandom#nextInt(): any 32-bit int.
function randomInt(draw: Draw): number {
  return Math.floor(draw.next() * 2 ** 32) | 0;
}

function allPartitions(numPartitions: number): number[] {
  return Array.from({ length: numPartitions }, (_, i) => i);
}

function ownValue(record: Readonly<Record<string, number>>, key: string): number | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function checkInput(input: PartitionInput): void {
  const { numPartitions, partition, availablePartitions } = input;
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new ArgumentError('choosePartition', 'numPartitions', numPartitions, 'a positive integer');
  }
  if (partition !== null && partition !== undefined && !(Number.isInteger(partition) && partition >= 0 && partition < numPartitions)) {
    // KafkaProducer refuses this too: "Invalid partition given with record: p is not in the range [0...n)".
    throw new ArgumentError('choosePartition', 'partition', partition, `an integer in [0, ${numPartitions})`);
  }
  if (!availablePartitions.every((p) => Number.isInteger(p) && p >= 0 && p < numPartitions)) {
    throw new ArgumentError('choosePartition', 'availablePartitions', availablePartitions, `partition ids in [0, ${numPartitions})`);
  }
}
