// The liveness phase's final read (`client.readToEnd`): seek every assigned partition to the beginning and poll
// until every position reaches the high watermark its leader reports. A deposed leader that has not heard of its
// successor still answers fetches, with a high watermark that may lag the new leader's; so the read also waits
// for metadata requested after it began before it trusts "the current leader".
import type { FetchPositions } from './fetchPositions.ts';

/** Where a read-to-end stands. */
export type ReadToEnd =
  | { readonly phase: 'idle' }
  | { readonly phase: 'requested' }
  | { readonly phase: 'reading'; readonly metadataUpdatesAtLeast: number };

/** The note a reader emits when a read-to-end is complete: the position of every assigned partition. */
export interface ReadToEndDoneNote {
  readToEnd: 'done';
  positions: FetchPositions;
}

/** The phase once the read has begun (after the seek), given how many metadata responses it must wait for. */
export function beginReadToEnd(metadataUpdates: number, metadataInFlight: boolean): ReadToEnd {
  // A response already in flight was asked before the read began: wait for the one after it too.
  return { phase: 'reading', metadataUpdatesAtLeast: metadataUpdates + (metadataInFlight ? 2 : 1) };
}

/** True when the read is done: a poll found every partition caught up, with metadata fresh enough. */
export function isReadToEndDone(readToEnd: ReadToEnd, roundCaughtUp: boolean, metadataUpdates: number): boolean {
  return readToEnd.phase === 'reading' && roundCaughtUp && metadataUpdates >= readToEnd.metadataUpdatesAtLeast;
}
