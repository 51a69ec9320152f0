import { appendAsLeader, assignEpochStartOffset } from '../../../actors/broker/partitionLog.ts';
import type { WireRecord } from '../../../actors/broker/RecordBatch.ts';
import { emptyReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import type { ReplicaLog } from '../../../actors/broker/ReplicaLog.ts';

/** `count` records with values `${prefix}0`, `${prefix}1`, ... and null keys. */
export function records(count: number, prefix = 'v'): WireRecord[] {
  return Array.from({ length: count }, (_, index) => ({ key: null, value: `${prefix}${index}` }));
}

/**
 * A log written by leaders: one batch per `[leaderEpoch, recordCount]`, record values naming their epoch and
 * offset (`e1@0`), so two logs agree at an offset exactly when they hold the same write.
 */
export function logFromBatches(batches: ReadonlyArray<readonly [number, number]>): ReplicaLog {
  let log = emptyReplicaLog();
  for (const [leaderEpoch, count] of batches) {
    const values = Array.from({ length: count }, (_, index) => ({ key: null, value: `e${leaderEpoch}@${log.logEndOffset + index}` }));
    log = appendAsLeader(log, values, { leaderEpoch }).log;
  }
  return log;
}

/** `log` after it became leader of `leaderEpoch` and wrote `values`, one batch. */
export function leadAndWrite(log: ReplicaLog, leaderEpoch: number, values: string[]): ReplicaLog {
  const led = assignEpochStartOffset(log, leaderEpoch);
  return values.length === 0 ? led : appendAsLeader(led, values.map((value) => ({ key: null, value })), { leaderEpoch }).log;
}

/** Every record of a log with its offset and the epoch of its batch, in offset order. */
export function offsetsOf(log: ReplicaLog): Array<{ offset: number; epoch: number; value: string }> {
  return log.batches.flatMap((batch) =>
    batch.records.map((record, index) => ({ offset: batch.baseOffset + index, epoch: batch.leaderEpoch, value: record.value })),
  );
}

/** The record values of a log, in offset order. */
export function valuesOf(log: ReplicaLog): string[] {
  return offsetsOf(log).map((entry) => entry.value);
}
