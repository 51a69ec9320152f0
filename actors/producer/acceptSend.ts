import type { ClientSend } from '../../src/protocol/clientCommands.ts';
import { choosePartition, onNewBatch } from './partitioner.ts';
import { RECORD_BATCH_OVERHEAD_BYTES, recordSizeBytes } from './ProducerBatch.ts';
import type { Outbox, ProducerContext } from './producerContext.ts';
import { addTopic, availablePartitions, partitionCount } from '../client/metadata.ts';
import { append, hasRoomFor } from './recordAccumulator.ts';
import { completeSendNote, invokeNote } from './sendHistory.ts';

// The application's side of KafkaProducer#send (`doSend`): record the invocation, wait for the topic's metadata,
// check the record, choose its partition and append it to the accumulator. The Sender (sender.ts) takes it from there.

/**
 * What a send did, and whether it wakes the Sender. As in `KafkaProducer#doSend`, a record appended to an open batch
 * that is not full leaves the Sender asleep until its next deadline: nothing it would do has changed. A new batch,
 * a full one, a topic waiting for metadata or a failed send wakes it.
 */
export interface AcceptedSend {
  readonly ctx: ProducerContext;
  readonly wakesSender: boolean;
}

/** A `client.send` arrived: invoke it in the history, then append it now or once its topic's metadata is known. */
export function acceptSend(ctx: ProducerContext, send: ClientSend, out: Outbox): AcceptedSend {
  const id = ctx.nextOperationId;
  out.push(invokeNote(id, send));
  const next = { ...ctx, nextOperationId: id + 1 };
  if (partitionCount(next.metadata, send.topic) === undefined) {
    const waiting = { id, send, sinceMs: ctx.now() };
    return { ctx: { ...next, metadata: addTopic(next.metadata, send.topic), waitingForMetadata: [...next.waitingForMetadata, waiting] }, wakesSender: true };
  }
  return appendSend(next, id, send, out);
}

/** Appends the sends whose topic's metadata has arrived, in the order they were made. */
export function appendWaitingSends(ctx: ProducerContext, out: Outbox): ProducerContext {
  let next: ProducerContext = { ...ctx, waitingForMetadata: [] };
  const stillWaiting = [];
  for (const waiting of ctx.waitingForMetadata) {
    if (partitionCount(next.metadata, waiting.send.topic) === undefined) stillWaiting.push(waiting);
    else next = appendSend(next, waiting.id, waiting.send, out).ctx;
  }
  return { ...next, waitingForMetadata: stillWaiting };
}

/**
 * Fails the sends that waited `max.block.ms` for their topic's metadata: send() throws a TimeoutException ("Topic
 * not present in metadata") before anything leaves the client, so the record was definitely not written.
 */
export function expireWaitingSends(ctx: ProducerContext, out: Outbox): ProducerContext {
  const nowMs = ctx.now();
  const expired = ctx.waitingForMetadata.filter((waiting) => nowMs - waiting.sinceMs >= ctx.config.maxBlockMs);
  if (expired.length === 0) return ctx;
  for (const waiting of expired) out.push(completeSendNote(waiting.id, 'fail', waiting.send));
  return { ...ctx, waitingForMetadata: ctx.waitingForMetadata.filter((waiting) => !expired.includes(waiting)) };
}

/** When the oldest waiting send would time out; null when none waits. */
export function nextWaitingSendExpiryMs(ctx: ProducerContext): number | null {
  const oldest = ctx.waitingForMetadata[0];
  return oldest === undefined ? null : oldest.sinceMs + ctx.config.maxBlockMs;
}

function appendSend(ctx: ProducerContext, id: number, send: ClientSend, out: Outbox): AcceptedSend {
  const numPartitions = partitionCount(ctx.metadata, send.topic) as number;
  const explicit = send.partition;
  // KafkaProducer#partition throws for a partition outside [0, numPartitions); doSend's ensureValidRecordSize throws
  // RecordTooLargeException. Either way send() fails before the record reaches a batch.
  const badPartition = explicit !== undefined && !(Number.isInteger(explicit) && explicit >= 0 && explicit < numPartitions);
  const tooLarge = RECORD_BATCH_OVERHEAD_BYTES + recordSizeBytes(send.key, send.value) > ctx.config.maxRequestSize;
  if (badPartition || tooLarge) {
    out.push(completeSendNote(id, 'fail', send));
    return { ctx, wakesSender: true };
  }
  const topicView = { topic: send.topic, key: send.key, partition: explicit, numPartitions, availablePartitions: availablePartitions(ctx.metadata, send.topic) };
  const options = { partitioner: ctx.config.partitioner, draw: ctx.draw };
  let choice = choosePartition(ctx.partitioner, topicView, options);
  const record = { topic: send.topic, partition: choice.partition, key: send.key, value: send.value, id };
  const sticky = ctx.config.partitioner === 'sticky' && send.key === null && explicit === undefined;
  if (sticky && !hasRoomFor(ctx.acc, record)) {
    // RecordAccumulator#append with abortOnNewBatch: a null-key record that would open a new batch on the sticky
    // partition moves the sticky partition first (StickyPartitionCache#nextPartition), then is placed again.
    const moved = onNewBatch(choice.state, { ...topicView, prevPartition: choice.partition }, ctx.draw);
    choice = choosePartition(moved, topicView, options);
  }
  const appended = append(ctx.acc, { ...record, partition: choice.partition }, { nowMs: ctx.now(), batchSize: ctx.config.batchSize });
  return { ctx: { ...ctx, partitioner: choice.state, acc: appended.acc }, wakesSender: appended.newBatchCreated || appended.batchIsFull };
}
