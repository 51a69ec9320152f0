import { drawInt } from './Draw.ts';
import type { Draw } from './Draw.ts';
import type { PlacementResult } from './stripedReplicaPlacer.ts';

/**
 * The ZooKeeper-era placement without racks (`AdminUtils.assignReplicasToBrokersRackUnaware`) over the given
 * broker ids (sorted first): partition p leads on `brokers[(p + startIndex) % n]`, and its followers sit at a
 * shift from the leader that grows by one after every n partitions, so the replica sets do not repeat. The start
 * index and the first shift are two draws, as Kafka's `rand.nextInt(n)` twice, unless `fixedStartIndex` gives both
 * (partitions added to a topic: `AdminZkClient#createNewPartitionsAssignment` passes the index of the first replica
 * of partition 0, and numbers the new partitions from `startPartitionId`, the current count).
 */
export function assignReplicasToBrokers(
  brokerIds: readonly number[],
  spec: { readonly numPartitions: number; readonly replicationFactor: number },
  draw: Draw | null,
  added: { readonly fixedStartIndex: number; readonly startPartitionId: number } | null = null,
): PlacementResult {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (spec.replicationFactor <= 0) {
    const message = `replication factor must be larger than 0, got ${spec.replicationFactor}`;
    return { ok: false, error: 'INVALID_REPLICATION_FACTOR', message };
  }
  if (spec.replicationFactor > n) {
    const message = `replication factor: ${spec.replicationFactor} larger than available brokers: ${n}`;
    return { ok: false, error: 'INVALID_REPLICATION_FACTOR', message };
  }
  const fixed = added === null ? null : added.fixedStartIndex;
  const startIndex = fixed ?? drawInt(draw as Draw, n);
  let nextReplicaShift = fixed ?? drawInt(draw as Draw, n);
  const first = added === null ? 0 : added.startPartitionId;
  const assignments: number[][] = [];
  for (let partition = first; partition < first + spec.numPartitions; partition++) {
    if (partition > 0 && partition % n === 0) nextReplicaShift++;
    const leaderIndex = (partition + startIndex) % n;
    const replicas = [leaderIndex];
    for (let j = 0; j < spec.replicationFactor - 1; j++) {
      // AdminUtils#replicaIndex: followers skip the leader's slot by shifting 1 + (shift + j) mod (n - 1).
      replicas.push((leaderIndex + 1 + ((nextReplicaShift + j) % (n - 1))) % n);
    }
    assignments.push(replicas.map((index) => brokers[index] ?? -1));
  }
  return { ok: true, assignments };
}
