// The reader's fetch positions: per partition, the next offset poll() returns (Kafka's "position", §6 of the
// semantics notes). Positions only move forward as records are returned; a seek or an offset reset sets them.
import { invariant } from './invariant.ts';

/** Position by topic-partition key (`orders-3`). */
export type FetchPositions = Readonly<Record<string, number>>;

/**
 * Every partition at offset 0: the start under auto.offset.reset=earliest with no committed offsets, and
 * `seekToBeginning`. Kafka seeks to the log start offset; the simulated logs start at 0 unless a broker says
 * otherwise, and then the fetch at 0 answers OFFSET_OUT_OF_RANGE and the reset finds the log start.
 */
export function positionsAtBeginning(keys: readonly string[]): FetchPositions {
  const positions: Record<string, number> = {};
  for (const key of keys) positions[key] = 0;
  return positions;
}

/** The position of an assigned partition. */
export function positionOf(positions: FetchPositions, key: string): number {
  const position = positions[key];
  invariant(position !== undefined, `no position for unassigned partition ${key}`);
  return position;
}

/** The position after poll() returned records up to `nextOffset - 1`: it never moves backwards. */
export function advancePosition(positions: FetchPositions, key: string, nextOffset: number): FetchPositions {
  const position = positionOf(positions, key);
  invariant(Number.isInteger(nextOffset) && nextOffset >= position, `position of ${key} moving back from ${position} to ${nextOffset}`);
  return nextOffset === position ? positions : { ...positions, [key]: nextOffset };
}

/** The position after an offset reset or a seek: any offset >= 0, in either direction. */
export function resetPosition(positions: FetchPositions, key: string, offset: number): FetchPositions {
  positionOf(positions, key);
  invariant(Number.isInteger(offset) && offset >= 0, `reset of ${key} to offset ${offset}`);
  return { ...positions, [key]: offset };
}
