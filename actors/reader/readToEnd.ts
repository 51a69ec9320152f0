// The liveness phase's final read (`client.readToEnd`): seek every assigned partition to the beginning and poll
// until every position reaches the high watermark its leader reports. A deposed leader that has not heard of its
// successor still answers fetches, with a high watermark that may lag the new leader's; so the read also waits
// for the answer to a metadata request sent after it began before it trusts "the current leader". It counts by
// correlation id, not by answers: a request in flight when the read began may time out instead of being answered,
// and the read would then wait for an answer that no request was left to bring.
import type { FetchPositions } from './fetchPositions.ts';

/** Where a read-to-end stands. */
export type ReadToEnd =
  | { readonly phase: 'idle' }
  | { readonly phase: 'requested' }
  /** `metadataFrom`: the first correlation id of a metadata request sent after the read began. */
  | { readonly phase: 'reading'; readonly metadataFrom: number };

/** The note a reader emits when a read-to-end is complete: the position of every assigned partition. */
export interface ReadToEndDoneNote {
  readToEnd: 'done';
  positions: FetchPositions;
}

/** The phase once the read has begun (after the seek): `nextCorrelationId` is the reader's next request's. */
export function beginReadToEnd(nextCorrelationId: number): ReadToEnd {
  return { phase: 'reading', metadataFrom: nextCorrelationId };
}

/**
 * True when the read is done: a poll found every partition caught up, and the last metadata answer (its request's
 * correlation id, -1 before any) came for a request sent after the read began.
 */
export function isReadToEndDone(readToEnd: ReadToEnd, roundCaughtUp: boolean, lastMetadataAnswered: number): boolean {
  return readToEnd.phase === 'reading' && roundCaughtUp && lastMetadataAnswered >= readToEnd.metadataFrom;
}
