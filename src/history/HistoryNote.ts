// How client machines put operations into the run's history without holding the recorder: they emit a note
// (the machine contract's `{ type: 'note', data }`) in one of these two shapes, and the scenario runner turns
// the notes of all nodes, in the order the World streams them, into HistoryRecorder calls. `id` is the
// client's own number for the operation, unique per client node and boot; the runner pairs a completion with
// its invocation by (node, boot, id). The process is the client's node id.
import type { CompletionType, CompletionValue, InvokeValue, OperationFunction } from './History.ts';

/** A client started an operation. */
export interface HistoryInvokeNote<F extends OperationFunction = OperationFunction> {
  history: 'invoke';
  id: number;
  f: F;
  value: InvokeValue<F>;
}

/** A client learned how an operation ended. */
export interface HistoryCompleteNote {
  history: 'complete';
  id: number;
  type: CompletionType;
  value: CompletionValue;
}

/** A history note, as a client machine emits it in `{ type: 'note', data }`. */
export type HistoryNote = HistoryInvokeNote | HistoryCompleteNote;

/** True when a note's data is a history note. */
export function isHistoryNote(data: unknown): data is HistoryNote {
  if (data === null || typeof data !== 'object') return false;
  const kind = (data as { history?: unknown }).history;
  return kind === 'invoke' || kind === 'complete';
}
