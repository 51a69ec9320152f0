import { invariant } from './invariant.ts';
import { incrementSequence, isBatchFull, RECORD_BATCH_OVERHEAD_BYTES, recordSizeBytes, topicPartitionKey } from './ProducerBatch.ts';
import type { BatchRecord, ProducerBatch } from './ProducerBatch.ts';

// The producer's record accumulator and the drain half of its Sender (Kafka's `RecordAccumulator#append`, `#ready`,
// `#drain`, and the in-flight limit `NetworkClient` applies per connection), as data in, data out. Longer than
// most files because ready and drain share their per-partition rules; the completion side lives in completeBatch.ts.

/** An idempotent producer's sequence state for one partition (`TxnPartitionEntry`). */
export interface PartitionSequence {
  readonly producerEpoch: number;
  readonly nextSequence: number;
  readonly lastAckedSequence: number;
}

/** The accumulator, JSON-safe. Queues and sequences are keyed by `topic-partition`, in-flight batches by batch id. */
export interface RecordAccumulator {
  readonly nextBatchId: number;
  /** Batches waiting to be sent, oldest first; retried batches go back to the front in sequence order. */
  readonly queues: Readonly<Record<string, readonly ProducerBatch[]>>;
  /** Batches drained into a request and waiting for its response. */
  readonly inFlight: Readonly<Record<number, ProducerBatch>>;
  /** Produce requests awaiting a response, per leader (`max.in.flight.requests.per.connection` bounds it). */
  readonly inFlightRequests: Readonly<Record<number, number>>;
  /** Partitions with a batch in flight when `max.in.flight.requests.per.connection` is 1 (ordering guarantee). */
  readonly muted: readonly string[];
  /** The id and epoch from InitProducerId; null until then (an idempotent producer drains nothing before). */
  readonly producerIdAndEpoch: { readonly producerId: number; readonly epoch: number } | null;
  readonly sequences: Readonly<Record<string, PartitionSequence>>;
  /**
   * Partitions whose sequence is in doubt since a batch that went out expired, with the sequence after that batch
   * (`TransactionManager#partitionsWithUnresolvedSequences`): they take no new batches until it resolves.
   */
  readonly partitionsWithUnresolvedSequences: Readonly<Record<string, number>>;
  /** An epoch bump the next Sender pass makes (`TransactionManager#epochBumpRequired`). */
  readonly epochBumpRequired: boolean;
  /** The partitions that bump renumbers from sequence 0 (`TransactionManager#partitionsToRewriteSequences`). */
  readonly partitionsToRewriteSequences: readonly string[];
  /** Per leader, where its next drain starts in its list of partitions (`RecordAccumulator#nodesDrainIndex`). */
  readonly drainIndex: Readonly<Record<number, number>>;
}

/** An empty accumulator. */
export function createRecordAccumulator(): RecordAccumulator {
  return {
    nextBatchId: 0,
    queues: {},
    inFlight: {},
    inFlightRequests: {},
    muted: [],
    producerIdAndEpoch: null,
    sequences: {},
    partitionsWithUnresolvedSequences: {},
    epochBumpRequired: false,
    partitionsToRewriteSequences: [],
    drainIndex: {},
  };
}

/** A record on its way into a batch; the partition is already chosen. */
export interface AppendInput {
  readonly topic: string;
  readonly partition: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly id?: string | number | null;
}

/** Where the record went (`RecordAppendResult`). */
export interface AppendResult {
  readonly acc: RecordAccumulator;
  readonly batchId: number;
  readonly newBatchCreated: boolean;
  readonly batchIsFull: boolean;
}

/**
 * Appends a record to the partition's last open batch when it fits within the batch's capacity, else to a new
 * batch of `batch.size` bytes (or the record's size when it alone is larger). `batchIsFull` is Kafka's signal to
 * wake the sender: the queue holds more than one batch, or the last one is full.
 */
export function append(
  acc: RecordAccumulator,
  record: AppendInput,
  options: { readonly nowMs: number; readonly batchSize: number },
): AppendResult {
  const key = topicPartitionKey(record.topic, record.partition);
  const queue = ownValue(acc.queues, key) ?? [];
  const sizeBytes = recordSizeBytes(record.key, record.value);
  const entry: BatchRecord = { key: record.key, value: record.value, id: record.id ?? null, sizeBytes, appendedMs: options.nowMs };
  const last = queue.at(-1);
  const created = last === undefined || !hasRoom(last, sizeBytes);
  const batch: ProducerBatch = created
    ? {
        batchId: acc.nextBatchId,
        topic: record.topic,
        partition: record.partition,
        records: [entry],
        sizeBytes: RECORD_BATCH_OVERHEAD_BYTES + sizeBytes,
        capacityBytes: Math.max(options.batchSize, RECORD_BATCH_OVERHEAD_BYTES + sizeBytes),
        createdMs: options.nowMs,
        attempts: 0,
        lastAttemptMs: options.nowMs,
        retryAtMs: null,
        closed: false,
        baseSequence: null,
        producerEpoch: null,
        maybeWritten: false,
        sequenceHasBeenReset: false,
      }
    : { ...last, records: [...last.records, entry], sizeBytes: last.sizeBytes + sizeBytes };
  const nextQueue = created ? [...queue, batch] : [...queue.slice(0, -1), batch];
  const next = { ...acc, nextBatchId: created ? acc.nextBatchId + 1 : acc.nextBatchId, queues: { ...acc.queues, [key]: nextQueue } };
  return { acc: next, batchId: batch.batchId, newBatchCreated: created, batchIsFull: nextQueue.length > 1 || isBatchFull(batch) };
}

/** Whether the record would fit in the partition's open batch; false means appending it creates a new batch. */
export function hasRoomFor(acc: RecordAccumulator, record: AppendInput): boolean {
  const last = ownValue(acc.queues, topicPartitionKey(record.topic, record.partition))?.at(-1);
  return last !== undefined && hasRoom(last, recordSizeBytes(record.key, record.value));
}

/** Who leads a partition, from the producer's metadata: a broker id, or -1 when unknown. */
export type LeaderOf = (topic: string, partition: number) => number;

/** The settings ready and drain use, and whether a flush makes every batch sendable at once. */
export interface SendOptions {
  readonly nowMs: number;
  readonly leaderOf: LeaderOf;
  readonly lingerMs: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly maxRequestSize: number;
  readonly enableIdempotence: boolean;
  readonly flush?: boolean;
  /** Whether a leader's connection is ready (the Sender drains nothing to a leader it is still connecting to). */
  readonly isConnected?: (node: number) => boolean;
}

/** Leaders with something to send, when to look again, topics whose partitions lack a known leader. */
export interface ReadyResult {
  readonly readyNodes: readonly number[];
  /** Milliseconds until a waiting batch becomes sendable; null when none is waiting. */
  readonly nextReadyCheckDelayMs: number | null;
  readonly unknownLeaderTopics: readonly string[];
}

/**
 * The leaders that have a sendable batch (`RecordAccumulator#ready`): for each partition's first batch, skipping
 * muted partitions and retries still backing off, it is sendable when the queue holds more than one batch, the
 * batch is full, it has waited `linger.ms` since creation (or since its retry was due), or a flush is on.
 */
export function ready(acc: RecordAccumulator, options: SendOptions): ReadyResult {
  const readyNodes = new Set<number>();
  const unknownLeaderTopics = new Set<string>();
  let nextReadyCheckDelayMs: number | null = null;
  const wait = (ms: number) => {
    nextReadyCheckDelayMs = nextReadyCheckDelayMs === null ? ms : Math.min(nextReadyCheckDelayMs, ms);
  };
  for (const [key, queue] of sortedEntries(acc.queues)) {
    const first = queue[0];
    if (first === undefined) continue;
    const leader = options.leaderOf(first.topic, first.partition);
    if (leader < 0) {
      unknownLeaderTopics.add(first.topic);
      continue;
    }
    if (readyNodes.has(leader) || acc.muted.includes(key)) continue;
    if (first.retryAtMs !== null && options.nowMs < first.retryAtMs) {
      wait(first.retryAtMs - options.nowMs);
      continue;
    }
    // Kafka measures the wait from creation, or from the re-enqueue of a retry (`ProducerBatch#waitedTimeMs`).
    const waitedMs = options.nowMs - first.lastAttemptMs;
    const full = queue.length > 1 || isBatchFull(first);
    if (full || waitedMs >= options.lingerMs || options.flush === true) readyNodes.add(leader);
    else wait(options.lingerMs - waitedMs);
  }
  return {
    readyNodes: [...readyNodes].sort((a, b) => a - b),
    nextReadyCheckDelayMs,
    unknownLeaderTopics: [...unknownLeaderTopics].sort(),
  };
}

/** One Produce request: the leader it goes to and at most one batch per partition. */
export interface ProduceRequestBatches {
  readonly node: number;
  readonly batches: readonly ProducerBatch[];
}

/**
 * Drains the ready leaders into Produce requests, one per leader (`RecordAccumulator#drain`, with the Sender's
 * `NetworkClient#ready` check): a leader gets a request only while it has fewer than
 * `max.in.flight.requests.per.connection` requests pending and its connection is ready. The request takes the first
 * batch of each of the leader's partitions, up to `max.request.size` (the first batch always fits), going round
 * the leader's partitions from where its last drain stopped (`drainIndex`), so no partition starves behind the
 * others. An idempotent producer assigns `baseSequence` (the partition's next sequence) and its epoch when a batch
 * is first drained and keeps them on retries; while a partition retries, only its earliest pending sequence may go
 * out, so retries leave one at a time, in order. With one request in flight allowed, drained partitions are muted
 * until their batch completes.
 */
export function drain(
  acc: RecordAccumulator,
  options: SendOptions,
): { readonly acc: RecordAccumulator; readonly requests: readonly ProduceRequestBatches[] } {
  let state = acc;
  const requests: ProduceRequestBatches[] = [];
  if (options.enableIdempotence && acc.producerIdAndEpoch === null) return { acc, requests };
  for (const node of ready(acc, options).readyNodes) {
    if ((ownValue(state.inFlightRequests, node) ?? 0) >= options.maxInFlightRequestsPerConnection) continue;
    if (options.isConnected !== undefined && !options.isConnected(node)) continue;
    const drained = drainNode(state, node, options);
    state = drained.acc;
    if (drained.batches.length === 0) continue;
    state = { ...state, inFlightRequests: { ...state.inFlightRequests, [node]: (ownValue(state.inFlightRequests, node) ?? 0) + 1 } };
    requests.push({ node, batches: drained.batches });
  }
  return { acc: state, requests };
}

// RecordAccumulator#drainBatchesForOneNode: one pass round the leader's partitions from its drain index.
function drainNode(acc: RecordAccumulator, node: number, options: SendOptions): { acc: RecordAccumulator; batches: ProducerBatch[] } {
  const keys = sortedEntries(acc.queues)
    .filter(([, queue]) => queue.length > 0 && options.leaderOf((queue[0] as ProducerBatch).topic, (queue[0] as ProducerBatch).partition) === node)
    .map(([key]) => key);
  if (keys.length === 0) return { acc, batches: [] };
  let state = acc;
  const batches: ProducerBatch[] = [];
  let sizeBytes = 0;
  const start = (ownValue(acc.drainIndex, node) ?? 0) % keys.length;
  let index = start;
  do {
    const key = keys[index] as string;
    // Kafka records the partition it is looking at, so a drain that stops here starts here next time.
    const current = index;
    index = (index + 1) % keys.length;
    state = { ...state, drainIndex: { ...state.drainIndex, [node]: current } };
    const queue = ownValue(state.queues, key) ?? [];
    const first = queue[0];
    if (first === undefined || state.muted.includes(key)) continue;
    if (first.retryAtMs !== null && options.nowMs < first.retryAtMs) continue;
    if (sizeBytes + first.sizeBytes > options.maxRequestSize && batches.length > 0) break;
    if (options.enableIdempotence && shouldStopDrain(state, key, first)) break;
    const drained = options.enableIdempotence ? assignSequence(state, key, first) : { state, batch: first };
    const batch: ProducerBatch = { ...drained.batch, closed: true };
    state = {
      ...drained.state,
      queues: { ...drained.state.queues, [key]: queue.slice(1) },
      inFlight: { ...drained.state.inFlight, [batch.batchId]: batch },
      muted: options.maxInFlightRequestsPerConnection === 1 ? [...drained.state.muted, key] : drained.state.muted,
    };
    sizeBytes += batch.sizeBytes;
    batches.push(batch);
  } while (index !== start);
  return { acc: state, batches };
}

/** The batches of a partition that hold a sequence and are not yet acknowledged or failed, lowest sequence first. */
export function pendingSequencedBatches(acc: RecordAccumulator, topic: string, partition: number): ProducerBatch[] {
  const key = topicPartitionKey(topic, partition);
  const queued = ownValue(acc.queues, key) ?? [];
  const inFlight = Object.values(acc.inFlight).filter((b) => b.topic === topic && b.partition === partition);
  return [...queued, ...inFlight]
    .filter((b) => b.baseSequence !== null)
    .sort((a, b) => (a.baseSequence ?? 0) - (b.baseSequence ?? 0));
}

// RecordAccumulator#shouldStopDrainBatchesForPartition (idempotent, not transactional).
function shouldStopDrain(acc: RecordAccumulator, key: string, first: ProducerBatch): boolean {
  const pending = pendingSequencedBatches(acc, first.topic, first.partition);
  const sequence = ownValue(acc.sequences, key);
  if (first.baseSequence === null) {
    // A new batch must not start the new epoch at sequence 0 while batches of the old epoch are still out, nor take
    // a sequence while an expired batch's sequence is unresolved.
    const staleEpoch = pending.length > 0 && sequence !== undefined && sequence.producerEpoch !== acc.producerIdAndEpoch?.epoch;
    return staleEpoch || Object.hasOwn(acc.partitionsWithUnresolvedSequences, key);
  }
  const firstPending = pending[0]?.baseSequence;
  return firstPending !== undefined && firstPending !== first.baseSequence;
}

function assignSequence(acc: RecordAccumulator, key: string, batch: ProducerBatch): { state: RecordAccumulator; batch: ProducerBatch } {
  if (batch.baseSequence !== null) return { state: acc, batch };
  const producer = acc.producerIdAndEpoch;
  invariant(producer !== null, 'an idempotent drain needs a producer id');
  const current = ownValue(acc.sequences, key);
  // TransactionManager#maybeUpdateProducerIdAndEpoch: a partition still on an old epoch restarts at 0.
  const sequence = current === undefined || current.producerEpoch !== producer.epoch
    ? { producerEpoch: producer.epoch, nextSequence: 0, lastAckedSequence: -1 }
    : current;
  const assigned = { ...batch, baseSequence: sequence.nextSequence, producerEpoch: producer.epoch };
  const nextSequence = incrementSequence(sequence.nextSequence, batch.records.length);
  return { state: { ...acc, sequences: { ...acc.sequences, [key]: { ...sequence, nextSequence } } }, batch: assigned };
}

function hasRoom(batch: ProducerBatch, recordBytes: number): boolean {
  return !batch.closed && batch.sizeBytes + recordBytes <= batch.capacityBytes;
}

// The queues are immutable, and one Sender pass reads the same queues object several times (ready, drain, the
// wake-up): its sorted entries are computed once per object.
const sortedCache = new WeakMap<object, Array<[string, unknown]>>();

function sortedEntries<T>(record: Readonly<Record<string, T>>): ReadonlyArray<[string, T]> {
  let entries = sortedCache.get(record) as Array<[string, T]> | undefined;
  if (entries === undefined) {
    entries = Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    sortedCache.set(record, entries);
  }
  return entries;
}

/** An own property of a record, so `constructor` is never mistaken for a partition or node. */
export function ownValue<K extends string | number, T>(record: Readonly<Record<K, T>>, key: K): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
