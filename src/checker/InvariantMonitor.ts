// The cluster invariants checked during a run, on every sample and every leader note, so a violation is
// reported at the virtual time it is first seen (DESIGN.md §4). They are the white-box oracles of the TLA+
// models (bug-catalog.md §3): at most one leader per partition per leader epoch (Raft's ElectionSafety, which
// Kafka's controller guarantees by bumping the epoch on every election); replica logs identical below the
// smallest high watermark (Vanlightly's LogMatchingProperty: R4 and R5 break it, truncation to the HW before
// KIP-101 among them); and a leader's high watermark never going backwards within its epoch (consumers would
// see committed offsets disappear).
//
// Cost per sample, for a partition with R live replicas: O(R log R) to order them and O(R) for the HW and
// leader checks; log matching resumes where the last sample's verified prefix ended, so it reads only what
// became committed since: O(R) per batch the replicas share by reference and O(R) per record where they do
// not. A replica set that changed (a broker crashed or came back) or a replica whose last verified batch is no
// longer at its place (it truncated into the verified prefix, perhaps and grew again) makes it walk the prefix
// again from offset 0: O(R) per shared batch, O(R) per record of copies. A leader note costs O(1). Memory:
// one entry per (partition, epoch) noted, per (partition, broker) that led, per partition, per distinct
// violation.
import type { RecordBatch } from '../protocol/messages.ts';
import type { ClusterSample, LeaderNote, ReplicaSample } from './ClusterSample.ts';
import { batchAt, batchEndOffset, compareLogPrefixes, logEndOf, recordAt, type LogPosition } from './compareLogPrefixes.ts';
import { DistinctViolations } from './DistinctViolations.ts';

/** An invariant's verdict over a run so far; `examples` keeps the first MAX_EXAMPLES distinct violations. */
export interface InvariantResult {
  invariant: string;
  valid: boolean;
  violations: number;
  examples: unknown[];
}

/** The invariants, in report order. */
export const invariantNames = ['single-leader-per-epoch', 'log-matching', 'leader-hw-monotonic'] as const;

// How far a partition's logs were verified identical, for the replica set of the last sample: below `offset`
// every replica holds the same records. `anchors` (in broker order) are the batch holding `offset - 1` in each
// log and its index: while it is still there the prefix is unchanged, since logs only grow at the end and
// truncate from it, and a batch object that reappears at its old index could only come from a replica that
// kept it after a different prefix, which is one outside the set (a changed set re-verifies everything).
interface VerifiedPrefix {
  brokers: string;
  offset: number;
  anchors: Anchor[];
}

interface Anchor {
  index: number;
  batch: RecordBatch;
}

interface LeaderSeen {
  broker: number;
  atMs: number;
}

interface LeaderHighWatermark {
  incarnation: string | undefined;
  leaderEpoch: number;
  highWatermark: number;
  atMs: number;
}

/** Checks the cluster invariants over a run's samples and leader notes; feed it in virtual-time order. */
export class InvariantMonitor {
  private readonly violations = {
    'single-leader-per-epoch': new DistinctViolations(),
    'log-matching': new DistinctViolations(),
    'leader-hw-monotonic': new DistinctViolations(),
  };
  /** `topic-partition|leaderEpoch` -> the first broker that led it. */
  private readonly leaders = new Map<string, LeaderSeen>();
  /** `topic-partition|broker` -> that broker's HW when it last sampled as leader. */
  private readonly leaderHighWatermarks = new Map<string, LeaderHighWatermark>();
  /** `topic-partition` -> the prefix verified identical. */
  private readonly verified = new Map<string, VerifiedPrefix>();

  /** Checks a broker's note that it became leader: no other broker may have led that partition in that epoch. */
  observeLeader(note: LeaderNote, atMs: number): void {
    this.recordLeader(`${note.topic}-${note.partition}`, note.leaderEpoch, note.broker, atMs);
  }

  /**
   * Checks one sample: log matching for every partition, the HW of every replica that believes it leads, and
   * that belief itself against the leaders already seen in its epoch.
   */
  observeSample(sample: ClusterSample): void {
    for (const [key, replicas] of Object.entries(sample.partitions)) {
      const byBroker = [...replicas].sort((a, b) => a.broker - b.broker);
      for (const replica of byBroker) {
        if (!replica.isLeader) continue;
        this.recordLeader(key, replica.leaderEpoch, replica.broker, sample.atMs);
        this.checkLeaderHighWatermark(sample.atMs, key, replica);
      }
      this.checkLogMatching(sample.atMs, key, byBroker);
    }
  }

  /** One result per invariant, all of them, in the order of `invariantNames`. */
  results(): InvariantResult[] {
    return invariantNames.map((invariant) => {
      const { count, examples } = this.violations[invariant];
      return { invariant, valid: count === 0, violations: count, examples };
    });
  }

  private recordLeader(key: string, leaderEpoch: number, broker: number, atMs: number): void {
    const id = `${key}|${leaderEpoch}`;
    const first = this.leaders.get(id);
    if (first === undefined) {
      this.leaders.set(id, { broker, atMs });
      return;
    }
    if (first.broker === broker) return;
    this.violations['single-leader-per-epoch'].add(`${id}|${first.broker}|${broker}`, () => ({
      atMs,
      key,
      leaderEpoch,
      brokers: [first.broker, broker],
      firstNotedAtMs: first.atMs,
    }));
  }

  // A new epoch, or another broker, starts afresh: a new leader's HW may lag the old one's (KIP-101's leader
  // epoch start offset is reached later), which consumers see as a stall, not as a step back. So does a restart of
  // the broker: a ZooKeeper-mode leader that restarts before any controller notices (none is active, or its
  // session outlived the restart) is made leader again in the same epoch, and its HW starts from the checkpoint
  // (`replication-offset-checkpoint`, written every replica.high.watermark.checkpoint.interval.ms; here the HW the
  // log had when it last reached the disk), below what it had reached: Kafka's HW steps back there too.
  private checkLeaderHighWatermark(atMs: number, key: string, replica: ReplicaSample): void {
    const id = `${key}|${replica.broker}`;
    const previous = this.leaderHighWatermarks.get(id);
    const { incarnation } = replica;
    this.leaderHighWatermarks.set(id, { incarnation, leaderEpoch: replica.leaderEpoch, highWatermark: replica.highWatermark, atMs });
    if (previous === undefined || previous.leaderEpoch !== replica.leaderEpoch || previous.incarnation !== incarnation) return;
    if (replica.highWatermark >= previous.highWatermark) return;
    const { broker, leaderEpoch, highWatermark } = replica;
    this.violations['leader-hw-monotonic'].add(`${id}|${leaderEpoch}|${previous.highWatermark}>${highWatermark}`, () => ({
      atMs,
      key,
      broker,
      leaderEpoch,
      previousHighWatermark: previous.highWatermark,
      previousAtMs: previous.atMs,
      highWatermark,
    }));
  }

  // `replicas` in broker order. The bound is the smallest HW, kept within every log's data: a broker keeps
  // HW <= LEO, and a sample that did not is judged on the records it has.
  private checkLogMatching(atMs: number, key: string, replicas: readonly ReplicaSample[]): void {
    if (replicas.length === 0) return;
    const logs = replicas.map((r) => r.batches);
    const brokers = replicas.map((r) => r.broker).join(',');
    const previous = this.verified.get(key);
    const start = (previous?.brokers === brokers ? resumePosition(previous, logs) : undefined) ?? logStart(logs);
    const minHighWatermark = Math.min(...replicas.map((r) => Math.min(r.highWatermark, logEndOf(r.batches))));
    const stop = minHighWatermark > start.offset ? compareLogPrefixes(logs, start, minHighWatermark) : { ...start, diverged: false };
    this.verified.set(key, { brokers, offset: stop.offset, anchors: anchorsAt(logs, stop) });
    if (!stop.diverged) return;
    const { offset } = stop;
    const records = replicas.map((replica, j) => {
      const { record, leaderEpoch } = recordAt(batchAt(logs, stop.batchIndexes, j), offset);
      return { broker: replica.broker, record: { key: record.key, value: record.value, leaderEpoch } };
    });
    this.violations['log-matching'].add(`${key}@${offset}:${JSON.stringify(records)}`, () => ({
      atMs,
      key,
      offset,
      minHighWatermark,
      replicas: replicas.map(({ broker, isLeader, leaderEpoch, highWatermark }, j) => ({
        broker,
        isLeader,
        leaderEpoch,
        highWatermark,
        record: records[j]?.record,
      })),
    }));
  }
}

function logStart(logs: readonly (readonly RecordBatch[])[]): LogPosition {
  return { offset: 0, batchIndexes: logs.map(() => 0) };
}

// Where the last verified prefix ends, if every log still holds its anchor batch at its index; undefined when
// some log truncated into the prefix (it is shorter, or another batch sits there now).
function resumePosition(previous: VerifiedPrefix, logs: readonly (readonly RecordBatch[])[]): LogPosition | undefined {
  if (previous.offset === 0) return undefined;
  const batchIndexes: number[] = [];
  for (const [j, log] of logs.entries()) {
    const anchor = previous.anchors[j];
    if (anchor === undefined || log[anchor.index] !== anchor.batch) return undefined;
    batchIndexes.push(batchEndOffset(anchor.batch) > previous.offset ? anchor.index : anchor.index + 1);
  }
  return { offset: previous.offset, batchIndexes };
}

// The batch holding `offset - 1` in each log (none at offset 0): the position points at the batch holding
// `offset`, which is that batch too unless `offset` starts a batch or is the log end.
function anchorsAt(logs: readonly (readonly RecordBatch[])[], position: LogPosition): Anchor[] {
  if (position.offset === 0) return [];
  return logs.map((log, j) => {
    const index = position.batchIndexes[j] ?? 0;
    const holding = log[index];
    if (holding !== undefined && holding.baseOffset < position.offset) return { index, batch: holding };
    const before = log[index - 1];
    if (before === undefined) throw new Error(`InvariantMonitor: log ${j} has no batch before offset ${position.offset}`);
    return { index: index - 1, batch: before };
  });
}
