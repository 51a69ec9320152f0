// Records how every replica of every partition changed during a report run: each broker's leader epoch, whether it
// led, its high watermark, its log end offset and its batches, every time one of them changed (or the broker went
// down or came back). The report reads it afterwards to show the replica logs over time and to follow a record
// from its append to its truncation. It only reads the brokers' snapshots: the run and its traceHash are unchanged.
import type { BrokerState } from '../../actors/broker/BrokerState.ts';
import type { World } from '../kernel/World.ts';
import type { RecordBatch } from '../protocol/messages.ts';
import { brokerNodeId } from '../protocol/nodeIds.ts';
import { brokerStateOf } from '../scenario/clusterSample.ts';

/** One broker's replica of one partition from `atMs` on (until its next point). `up` false: the broker is down. */
export interface ReplicaPoint {
  readonly atMs: number;
  readonly up: boolean;
  readonly isLeader: boolean;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly logEndOffset: number;
  /** The log's batches; only those below `logEndOffset` belong to this point (batch arrays are shared, see partitionLog.ts). */
  readonly batches: readonly RecordBatch[];
}

type PartitionReplicas = BrokerState['partitions'];

/**
 * Watches a World's brokers. A broker's state changes only when it takes a message or a timer, and it answers or
 * fetches within the same instant, so looking at the brokers a bus event names (sender and receiver), plus a final
 * look at the end, sees every change at the virtual time it happened.
 */
export class ReplicaRecorder {
  private readonly points = new Map<string, Map<number, ReplicaPoint[]>>();
  private readonly lastSeen = new Map<number, PartitionReplicas | null>();
  private readonly brokerOfNode = new Map<string, number>();

  constructor(
    private readonly world: World,
    brokerIds: readonly number[],
  ) {
    for (const id of brokerIds) this.brokerOfNode.set(brokerNodeId(id), id);
    world.events$.subscribe((event) => {
      const from = this.brokerOfNode.get(event.envelope.from);
      const to = this.brokerOfNode.get(event.envelope.to);
      if (from !== undefined) this.look(from);
      if (to !== undefined) this.look(to);
    });
  }

  /** A last look at every broker (call when the run has ended). */
  finish(): void {
    for (const id of this.brokerOfNode.values()) this.look(id);
  }

  /** Partitions seen, as `topic-partition` keys, in the order first seen. */
  partitions(): string[] {
    return [...this.points.keys()];
  }

  /** Each broker's points for one partition, by broker id (ascending). */
  timeline(partition: string): Array<{ broker: number; points: readonly ReplicaPoint[] }> {
    const byBroker = this.points.get(partition) ?? new Map<number, ReplicaPoint[]>();
    return [...byBroker].sort(([a], [b]) => a - b).map(([broker, points]) => ({ broker, points }));
  }

  private look(broker: number): void {
    const state = brokerStateOf(this.world, broker);
    const replicas = state?.partitions ?? null;
    const previous = this.lastSeen.get(broker);
    if (previous === replicas) return;
    this.lastSeen.set(broker, replicas);
    const atMs = this.world.now;
    if (replicas === null) {
      // Down (or paused without a snapshot): every partition it held gets a `down` point.
      for (const byBroker of this.points.values()) {
        const last = byBroker.get(broker)?.at(-1);
        if (last !== undefined && last.up) byBroker.get(broker)?.push({ ...last, atMs, up: false });
      }
      return;
    }
    for (const key in replicas) {
      const replica = replicas[key];
      if (replica === undefined) continue;
      const log = replica.log;
      let byBroker = this.points.get(key);
      if (byBroker === undefined) this.points.set(key, (byBroker = new Map()));
      let list = byBroker.get(broker);
      if (list === undefined) byBroker.set(broker, (list = []));
      const last = list.at(-1);
      const isLeader = replica.leader === broker;
      if (
        last !== undefined &&
        last.up &&
        last.isLeader === isLeader &&
        last.leaderEpoch === replica.leaderEpoch &&
        last.highWatermark === log.highWatermark &&
        last.logEndOffset === log.logEndOffset &&
        last.batches === log.batches
      ) {
        continue;
      }
      list.push({ atMs, up: true, isLeader, leaderEpoch: replica.leaderEpoch, highWatermark: log.highWatermark, logEndOffset: log.logEndOffset, batches: log.batches });
    }
  }
}

/** The value a point's log holds at `offset`, with its batch's leader epoch; undefined when the log ends before it. */
export function recordAt(point: ReplicaPoint, offset: number): { value: string; epoch: number } | undefined {
  if (!point.up || offset >= point.logEndOffset) return undefined;
  const batches = point.batches;
  let low = 0;
  let high = batches.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const batch = batches[middle] as RecordBatch;
    if (offset < batch.baseOffset) high = middle - 1;
    else if (offset >= batch.baseOffset + batch.records.length) low = middle + 1;
    else {
      const record = batch.records[offset - batch.baseOffset];
      return record === undefined ? undefined : { value: record.value, epoch: batch.leaderEpoch };
    }
  }
  return undefined;
}
