import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../src/protocol/groupMessages.ts';
import type { CoordinatorResult } from './CoordinatorResult.ts';
import type { GroupMetadata, OffsetAndMetadata } from './GroupMetadata.ts';
import { hasMember, isStaticMemberFenced } from './GroupMetadata.ts';
import { updateMember } from './groupMembership.ts';
import type { OffsetCommitRecord } from './groupRecords.ts';

// OffsetCommit on the classic group coordinator (`GroupCoordinator#handleCommitOffsets`, `validateOffsetCommit`,
// `doCommitOffsets`, `GroupMetadataManager#storeOffsets`). The generation check is what fences a zombie consumer
// (bug C1): one that paused past its session, lost its partitions, and commits when it wakes up. The request and
// response are wire types (src/protocol/groupMessages.ts), re-exported here.

export type { OffsetCommitPartition, OffsetCommitRequest, OffsetCommitResponse } from '../../src/protocol/groupMessages.ts';

/** The time of the commit, and the weakening that turns the generation check off. */
export interface OffsetCommitOptions {
  readonly nowMs: number;
  /** Weakening (bug C1): skip the member and generation checks, so a zombie's commit is stored. */
  readonly noGenerationFencing?: boolean;
}

/**
 * Validates and stores a commit. A commit with generation < 0 and no member id is accepted on an Empty group
 * (`assign()` consumers and admin tools) and refused UNKNOWN_MEMBER_ID on any other. Otherwise, in Kafka's order:
 * FENCED_INSTANCE_ID, UNKNOWN_MEMBER_ID for a non-member, ILLEGAL_GENERATION for another generation. A valid
 * commit is refused REBALANCE_IN_PROGRESS in CompletingRebalance (the member must sync first) but accepted in
 * PreparingRebalance (the member learns of the rebalance from its next heartbeat), and renews the session. Stored
 * offsets are OffsetCommit records; they may go backwards (Kafka does not check). An accepted commit is pending
 * (`GroupMetadata#prepareOffsetCommit`): the group's offsets, which OffsetFetch reads, change only when its records
 * have committed in `__consumer_offsets` (`applyOffsetCommits`, Kafka's `onOffsetCommitAppend`); a failed append
 * drops it (`failPendingOffsetWrite`).
 */
export function commitOffsets(
  group: GroupMetadata,
  request: OffsetCommitRequest,
  options: OffsetCommitOptions,
): CoordinatorResult<OffsetCommitResponse> {
  const error = options.noGenerationFencing === true ? deadOrNull(group) : validateOffsetCommit(group, request);
  const refused = error ?? (group.state === 'CompletingRebalance' ? 'REBALANCE_IN_PROGRESS' : null);
  if (refused !== null) return { state: group, response: everyPartition(request, refused), effects: [] };
  const records: OffsetCommitRecord[] = request.offsets.map((p) => ({
    type: 'OffsetCommit',
    groupId: group.groupId,
    topic: p.topic,
    partition: p.partition,
    offset: p.offset,
    metadata: p.metadata ?? '',
    commitTimestampMs: options.nowMs,
  }));
  let next = group;
  if (hasMember(next, request.memberId)) next = updateMember(next, request.memberId, { lastHeartbeatMs: options.nowMs });
  return { state: next, response: everyPartition(request, 'NONE'), effects: [{ type: 'append', records }] };
}

/** The error a commit gets before the group's state is looked at (`validateOffsetCommit`), or null. */
export function validateOffsetCommit(group: GroupMetadata, request: OffsetCommitRequest): Exclude<KafkaErrorType, 'NONE'> | null {
  const { memberId, groupInstanceId, generationId } = request;
  if (group.state === 'Dead') return 'COORDINATOR_NOT_AVAILABLE';
  if (generationId >= 0 || memberId !== '' || groupInstanceId !== undefined) {
    if (isStaticMemberFenced(group, groupInstanceId, memberId)) return 'FENCED_INSTANCE_ID';
    if ((generationId >= 0 || memberId !== '') && !hasMember(group, memberId)) return 'UNKNOWN_MEMBER_ID';
    if (generationId >= 0 && generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    return null;
  }
  // Outside group management: only while nobody is a member.
  return group.state === 'Empty' ? null : 'UNKNOWN_MEMBER_ID';
}

function deadOrNull(group: GroupMetadata): 'COORDINATOR_NOT_AVAILABLE' | null {
  return group.state === 'Dead' ? 'COORDINATOR_NOT_AVAILABLE' : null;
}

/** The group with committed OffsetCommit records applied: what OffsetFetch returns from then on. */
export function applyOffsetCommits(group: GroupMetadata, records: readonly OffsetCommitRecord[]): GroupMetadata {
  const offsets: Record<string, Record<number, OffsetAndMetadata>> = { ...group.offsets };
  for (const { topic, partition, offset, metadata, commitTimestampMs } of records) {
    offsets[topic] = { ...offsets[topic], [partition]: { offset, metadata, commitTimestampMs } };
  }
  return { ...group, offsets };
}

function everyPartition(request: OffsetCommitRequest, errorCode: KafkaErrorType): OffsetCommitResponse {
  return { partitions: request.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode })) };
}
