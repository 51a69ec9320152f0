import { drawInt } from './Draw.ts';
import type { Draw } from './Draw.ts';
import type { PlacementResult } from './stripedReplicaPlacer.ts';

/**
 * The ZooKeeper-era placement without racks (`AdminUtils.assignReplicasToBrokersRackUnaware`) over the given
 * broker ids (sorted first): partition p leads on `brokers[(p + startIndex) % n]`, and its followers sit at a
 * shift from the leader that grows by one after every n partitions, so the replica sets do not repeat. The start
 * index and the first shift are two draws, as Kafka's `rand.nextInt(n)` twice.
 */
export function assignReplicasToBrokers(
  brokerIds: readonly number[],
  spec: { readonly numPartitions: number; readonly replicationFactor: number },
  draw: Draw,
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
  const startIndex = drawInt(draw, n);
  let nextReplicaShift = drawInt(draw, n);
  const assignments: number[][] = [];
  for (let partition = 0; partition < spec.numPartitions; partition++) {
    if (partition > 0 && partition % n === 0) nextReplicaShift++;
    const first = (partition + startIndex) % n;
    const replicas = [first];
    for (let j = 0; j < spec.replicationFactor - 1; j++) {
      // AdminUtils#replicaIndex: followers skip the leader's slot by shifting 1 + (shift + j) mod (n - 1).
      replicas.push((first + 1 + ((nextReplicaShift + j) % (n - 1))) % n);
    }
    assignments.push(replicas.map((index) => brokers[index] ?? -1));
  }
  return { ok: true, assignments };
}
