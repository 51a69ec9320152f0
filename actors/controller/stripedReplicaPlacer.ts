import { drawInt, drawShuffle } from './Draw.ts';
import type { Draw } from './Draw.ts';
import { invariant } from './invariant.ts';

/** A broker the placer may use (registered, not shutting down), fenced or not. */
export interface UsableBroker {
  readonly id: number;
  readonly fenced: boolean;
}

/** Replica lists, one per partition (leader first), or why no placement exists. */
export type PlacementResult =
  | { readonly ok: true; readonly assignments: number[][] }
  | { readonly ok: false; readonly error: 'INVALID_REPLICATION_FACTOR'; readonly message: string };

/**
 * KRaft's replica placement for brokers without racks (`StripedReplicaPlacer`, one rack): unfenced and fenced
 * brokers in two sorted lists, each with a drawn start offset. Partition k takes consecutive unfenced brokers
 * starting one further along than partition k-1 (the "stripes"), topping up from the fenced list only when the
 * unfenced one runs out; the leader is always unfenced. After as many partitions as there are unfenced brokers,
 * both lists are shuffled with the draw so later rounds do not repeat the same replica sets.
 */
export function stripedReplicaPlacer(
  brokers: readonly UsableBroker[],
  spec: { readonly numPartitions: number; readonly replicationFactor: number },
  draw: Draw,
): PlacementResult {
  const { numPartitions, replicationFactor } = spec;
  const unfencedIds = brokers.filter((b) => !b.fenced).map((b) => b.id).sort((a, b) => a - b);
  const fencedIds = brokers.filter((b) => b.fenced).map((b) => b.id).sort((a, b) => a - b);
  if (replicationFactor <= 0) return refuse(`the replication factor must be positive, got ${replicationFactor}`);
  if (unfencedIds.length === 0) return refuse('all brokers are currently fenced');
  if (replicationFactor > brokers.length) {
    const registered = `${brokers.length} broker(s) are registered`;
    return refuse(`the replication factor ${replicationFactor} cannot be reached because only ${registered}`);
  }
  // Rack#initialize draws the fenced list's offset, then the unfenced list's, each only when the list is non-empty.
  const fenced = brokerList(fencedIds, draw);
  const unfenced = brokerList(unfencedIds, draw);
  let epoch = 0;
  const assignments: number[][] = [];
  for (let p = 0; p < numPartitions; p++) {
    if (epoch === unfenced.brokers.length && unfenced.brokers.length > 1) {
      fenced.brokers = drawShuffle(draw, fenced.brokers);
      unfenced.brokers = drawShuffle(draw, unfenced.brokers);
      epoch = 0;
    }
    const leader = next(unfenced, epoch);
    invariant(leader >= 0, 'striped placement found no unfenced leader');
    const replicas = [leader];
    while (replicas.length < replicationFactor) {
      const follower = next(unfenced, epoch);
      const replica = follower >= 0 ? follower : next(fenced, epoch);
      invariant(replica >= 0, 'striped placement ran out of brokers');
      replicas.push(replica);
    }
    assignments.push(replicas);
    epoch++;
  }
  return { ok: true, assignments };
}

interface BrokerList {
  brokers: number[];
  offset: number;
  index: number;
  epoch: number;
}

function brokerList(brokers: number[], draw: Draw): BrokerList {
  return { brokers, offset: brokers.length === 0 ? 0 : drawInt(draw, brokers.length), index: 0, epoch: 0 };
}

// StripedReplicaPlacer.BrokerList#next: a new iteration epoch restarts the walk one position further along.
function next(list: BrokerList, epoch: number): number {
  const size = list.brokers.length;
  if (size === 0) return -1;
  if (list.epoch !== epoch) {
    list.epoch = epoch;
    list.index = 0;
    list.offset = (list.offset + 1) % size;
  }
  if (list.index >= size) return -1;
  const broker = list.brokers[(list.index + list.offset) % size];
  invariant(broker !== undefined, 'broker list index out of range');
  list.index++;
  return broker;
}

function refuse(message: string): PlacementResult {
  return { ok: false, error: 'INVALID_REPLICATION_FACTOR', message };
}
