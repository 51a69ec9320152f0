// The notes the reader emits, in the shapes the scenario runner reads (src/history/HistoryNote.ts): history
// operations (`assign` and `poll`, numbered per boot) and the read-to-end's completion.
import type { AssignValue, PollResult } from '../../src/history/History.ts';
import type { HistoryCompleteNote, HistoryInvokeNote } from '../../src/history/HistoryNote.ts';
import type { FetchPositions } from './fetchPositions.ts';
import type { ReadToEndDoneNote } from './readToEnd.ts';

/** A note as the machine emits it. */
export interface NoteEvent {
  type: 'note';
  data: HistoryInvokeNote | HistoryCompleteNote | ReadToEndDoneNote;
}

/** An `assign` is local (KafkaConsumer.assign returns at once): its invoke and its `ok` at the same instant. */
export function assignNotes(id: number, partitions: readonly string[]): [NoteEvent, NoteEvent] {
  const value: AssignValue = { partitions: [...partitions] };
  return [
    { type: 'note', data: { history: 'invoke', id, f: 'assign', value } },
    { type: 'note', data: { history: 'complete', id, type: 'ok', value } },
  ];
}

/** A poll starts: Jepsen's `invoke` of `:poll` with an empty value. */
export function pollInvokeNote(id: number): NoteEvent {
  return { type: 'note', data: { history: 'invoke', id, f: 'poll', value: {} } };
}

/** A poll returns: always `ok`, since a failed fetch only means no records from that partition. */
export function pollOkNote(id: number, records: PollResult['records']): NoteEvent {
  return { type: 'note', data: { history: 'complete', id, type: 'ok', value: { records } } };
}

/** The read-to-end is complete. */
export function readToEndDoneNote(positions: FetchPositions): NoteEvent {
  return { type: 'note', data: { readToEnd: 'done', positions: { ...positions } } };
}
