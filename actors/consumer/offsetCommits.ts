// What a group consumer commits and when (`ConsumerConfig` enable.auto.commit, auto.commit.interval.ms;
// `ConsumerCoordinator#maybeAutoCommitOffsetsAsync`, `#sendOffsetCommitRequest`, `OffsetCommitResponseHandler`).
// A commit stores the processed position, the offset after the last processed record, in the member's
// generation; the coordinator refuses it from a stale generation, which is what fences a zombie (bug C1).
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../src/protocol/groupMessages.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';
import type { ConsumerConfig } from './consumerDefaults.ts';
import type { Membership } from './membership.ts';
import type { OffsetTracking } from './offsetTracking.ts';

/** How commits are taken; the weakening is off unless a scenario turns it on. */
export interface CommitOptions {
  /**
   * Weakening (bug C4): commit the polled position, before the records are processed. A crash mid-processing then
   * leaves the unprocessed records behind the committed offset, and no member ever processes them.
   */
  readonly commitBeforeProcessing?: boolean;
}

/** Offsets worth committing, by key: the processed position (or the polled one, under C4) where it moved. */
export function offsetsToCommit(t: OffsetTracking, options: CommitOptions = {}): Record<string, number> {
  const source = options.commitBeforeProcessing === true ? t.positions : t.processed;
  const offsets: Record<string, number> = {};
  for (const [key, offset] of Object.entries(source)) {
    if (t.committed[key] !== offset) offsets[key] = offset;
  }
  return offsets;
}

/**
 * The OffsetCommit for `offsets` in the member's generation, or null when it is not STABLE: Kafka fails the
 * commit locally then (`generationIfStable` is null: RebalanceInProgressException or CommitFailedException).
 * `partitions` maps each key back to its topic and partition.
 */
export function commitRequest(
  m: Membership,
  offsets: Readonly<Record<string, number>>,
  partitions: readonly { readonly topic: string; readonly partition: number }[],
  config: ConsumerConfig,
): OffsetCommitRequest | null {
  if (m.state !== 'STABLE' || m.fatalError !== null) return null;
  const byKey = new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), p]));
  const entries = Object.entries(offsets).flatMap(([key, offset]) => {
    const p = byKey.get(key);
    return p === undefined ? [] : [{ topic: p.topic, partition: p.partition, offset }];
  });
  return {
    memberId: m.memberId,
    ...(config.groupInstanceId === undefined ? {} : { groupInstanceId: config.groupInstanceId }),
    generationId: m.generationId,
    offsets: entries,
  };
}

/** Whether poll() should auto-commit now: enable.auto.commit and auto.commit.interval.ms since the last one. */
export function isAutoCommitDue(t: OffsetTracking, nowMs: number, config: ConsumerConfig): boolean {
  return config.enableAutoCommit && nowMs >= t.nextAutoCommitMs;
}

/** An auto-commit was sent (or skipped with nothing to commit): the next is due one interval from now. */
export function autoCommitDone(t: OffsetTracking, nowMs: number, config: ConsumerConfig): OffsetTracking {
  return { ...t, nextAutoCommitMs: nowMs + config.autoCommitIntervalMs };
}

/** What an OffsetCommit answer changed. */
export interface CommitOutcome {
  readonly state: OffsetTracking;
  /** The offsets the coordinator stored, by key (the history's `ok` commit value when `failed` is empty). */
  readonly committed: Readonly<Record<string, number>>;
  /** Keys whose commit was refused. */
  readonly failed: readonly string[];
  /** Keys refused because the generation is over (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS). */
  readonly fenced: readonly string[];
  /**
   * The group error to hand to `onGroupError` with the request's generation, or null. A fenced commit means the
   * member must rejoin: its partitions may already be someone else's.
   */
  readonly groupError: KafkaErrorType | null;
}

const fencingErrors: ReadonlySet<KafkaErrorType> = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS']);
const groupErrors: ReadonlySet<KafkaErrorType> = new Set([...fencingErrors, 'FENCED_INSTANCE_ID', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);

/**
 * Applies an OffsetCommit answer to the request it answers. Stored offsets become the committed ones (of
 * partitions still assigned); refused ones stay uncommitted, to be committed again by a later commit if the member
 * still owns them. The first group-level error is returned for the membership to react to.
 */
export function applyCommitResponse(t: OffsetTracking, request: OffsetCommitRequest, response: OffsetCommitResponse): CommitOutcome {
  const sent = new Map(request.offsets.map((p) => [topicPartitionKey(p.topic, p.partition), p.offset]));
  const committed: Record<string, number> = {};
  const failed: string[] = [];
  const fenced: string[] = [];
  let groupError: KafkaErrorType | null = null;
  for (const { topic, partition, errorCode } of response.partitions) {
    const key = topicPartitionKey(topic, partition);
    const offset = sent.get(key);
    if (offset === undefined) continue;
    if (errorCode === 'NONE') {
      committed[key] = offset;
      continue;
    }
    failed.push(key);
    if (fencingErrors.has(errorCode)) fenced.push(key);
    if (groupError === null && groupErrors.has(errorCode)) groupError = errorCode;
  }
  const stillAssigned = Object.entries(committed).filter(([key]) => Object.hasOwn(t.processed, key));
  const state = stillAssigned.length === 0 ? t : { ...t, committed: { ...t.committed, ...Object.fromEntries(stillAssigned) } };
  return { state, committed, failed, fenced, groupError };
}
