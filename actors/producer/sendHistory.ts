import type { CompletionType, LogRecord, SendValue } from '../../src/history/History.ts';
import type { HistoryCompleteNote, HistoryInvokeNote } from '../../src/history/HistoryNote.ts';
import type { HostEmitted } from '../../src/kernel/NodeHost.ts';
import type { ClientSend } from '../../src/protocol/clientCommands.ts';
import { invariant } from './invariant.ts';
import type { ProducerBatch } from './ProducerBatch.ts';

// The producer's Jepsen-style history: an `invoke` note when the application calls send(), and one `complete` note
// when the outcome is known (src/history/HistoryNote.ts). The operation id is the record's id in its batch.

/** A note for the World, as the machine emits it. */
export type NoteEmitted = Extract<HostEmitted, { type: 'note' }>;

/** The application called send(): the record as invoked, with its partition only when the caller gave one. */
export function invokeNote(id: number, send: ClientSend): NoteEmitted {
  const value: SendValue = { topic: send.topic, key: send.key, value: send.value };
  if (send.partition !== undefined) value.partition = send.partition;
  const data: HistoryInvokeNote<'send'> = { history: 'invoke', id, f: 'send', value };
  return { type: 'note', data };
}

/** A send that ended before it reached a batch (no metadata in time, an invalid partition, a record too large). */
export function completeSendNote(id: number, type: Exclude<CompletionType, 'ok'>, send: ClientSend): NoteEmitted {
  const value: SendValue = { topic: send.topic, key: send.key, value: send.value };
  if (send.partition !== undefined) value.partition = send.partition;
  return completeNote(id, type, value);
}

/** Every record of an acknowledged batch, `ok` at `baseOffset + its index in the batch`. */
export function batchOkNotes(batch: ProducerBatch, baseOffset: number): NoteEmitted[] {
  invariant(Number.isInteger(baseOffset) && baseOffset >= 0, `an acknowledged batch needs its base offset, got ${baseOffset}`);
  return batch.records.map((record, index) => {
    const value: LogRecord = { topic: batch.topic, partition: batch.partition, offset: baseOffset + index, key: record.key, value: record.value ?? '' };
    return completeNote(operationId(record.id), 'ok', value);
  });
}

/** Every record of a batch whose outcome is `fail` (not written) or `info` (unknown), with its partition. */
export function batchOutcomeNotes(batch: ProducerBatch, type: Exclude<CompletionType, 'ok'>): NoteEmitted[] {
  return batch.records.map((record) => {
    const value: SendValue = { topic: batch.topic, key: record.key, value: record.value ?? '', partition: batch.partition };
    return completeNote(operationId(record.id), type, value);
  });
}

function completeNote(id: number, type: CompletionType, value: SendValue | LogRecord): NoteEmitted {
  const data: HistoryCompleteNote = { history: 'complete', id, type, value };
  return { type: 'note', data };
}

function operationId(id: string | number | null): number {
  invariant(typeof id === 'number', `every record the producer appends carries its operation id, got ${String(id)}`);
  return id;
}
