// What the run's invariant checks see of the cluster at one virtual instant: every live replica of every
// partition, as plain data read from the brokers' states (the scenario runner builds it; the checker knows
// nothing of the broker machine). Batches are the brokers' own objects, shared, never copied.
import type { RecordBatch } from '../protocol/messages.ts';

/** One broker's replica of one partition, as that broker sees it. */
export interface ReplicaSample {
  broker: number;
  /** True when this broker believes it leads the partition in `leaderEpoch`. */
  isLeader: boolean;
  /** The broker's boot this sample is of (its incarnation id); absent: a broker that never restarts. */
  incarnation?: string;
  leaderEpoch: number;
  highWatermark: number;
  logEndOffset: number;
  /** Contiguous from offset 0, in offset order. */
  batches: readonly RecordBatch[];
}

/** The replicas of every partition at `atMs`, by `topic-partition`. Crashed brokers are left out. */
export interface ClusterSample {
  atMs: number;
  partitions: Record<string, ReplicaSample[]>;
}

/** A broker's note that it became leader of a partition in an epoch (emitted by the broker machine). */
export interface LeaderNote {
  invariant: 'leader';
  topic: string;
  partition: number;
  leaderEpoch: number;
  broker: number;
}
