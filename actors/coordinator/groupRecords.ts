import type { TopicPartition } from '../assignors/TopicPartition.ts';
import type { GroupMetadata, OffsetAndMetadata } from './GroupMetadata.ts';
import { emptyGroup } from './GroupMetadata.ts';
import { addMember } from './groupMembership.ts';
import type { ConsumerProtocolSubscription, MemberMetadata } from './MemberMetadata.ts';
import { metadataFor } from './MemberMetadata.ts';

// The records the coordinator writes to `__consumer_offsets`, and the replay that rebuilds its groups from them
// after a failover (`GroupMetadataManager#storeGroup`, `#storeOffsets`, `#loadGroupsAndOffsets`,
// `GroupMetadata.loadGroup`). The topic is compacted by key: the last record per group and per group-partition wins.

/** A member as the GroupMetadata record holds it: its subscription for the chosen protocol and its assignment. */
export interface GroupMetadataRecordMember {
  readonly memberId: string;
  readonly groupInstanceId?: string;
  readonly clientId: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly subscription: ConsumerProtocolSubscription;
  readonly assignment: readonly TopicPartition[];
}

/** The group's generation, leader, protocol and members (`GroupMetadataValue`); key: the group id. */
export interface GroupMetadataRecord {
  readonly type: 'GroupMetadata';
  readonly groupId: string;
  readonly protocolType: string | null;
  readonly generationId: number;
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  readonly currentStateTimestampMs: number;
  readonly members: readonly GroupMetadataRecordMember[];
}

/** One committed offset (`OffsetCommitValue`); key: group id, topic and partition. */
export interface OffsetCommitRecord extends OffsetAndMetadata {
  readonly type: 'OffsetCommit';
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
}

/** A record of `__consumer_offsets`. */
export type GroupRecord = GroupMetadataRecord | OffsetCommitRecord;

/** The GroupMetadata record for the group with these assignments (`GroupMetadataManager#groupMetadataValue`). */
export function groupMetadataRecord(
  group: GroupMetadata,
  assignments: Readonly<Record<string, readonly TopicPartition[]>>,
): GroupMetadataRecord {
  const protocolName = group.protocolName;
  const members = protocolName === null ? [] : group.members.map((member) => recordMember(member, protocolName, assignments));
  return {
    type: 'GroupMetadata',
    groupId: group.groupId,
    protocolType: group.protocolType,
    generationId: group.generationId,
    protocolName,
    leaderId: group.leaderId,
    currentStateTimestampMs: group.currentStateTimestampMs,
    members,
  };
}

/** The GroupMetadata record of the group's current assignment. */
export function currentGroupMetadataRecord(group: GroupMetadata): GroupMetadataRecord {
  return groupMetadataRecord(group, Object.fromEntries(group.members.map((m) => [m.memberId, m.assignment])));
}

/**
 * Rebuilds every group of a `__consumer_offsets` partition from its records, as a newly elected coordinator does.
 * A group with members loads Stable, one without loads Empty (`GroupMetadata.loadGroup`); a group with offsets but
 * no GroupMetadata record loads Empty at generation 0. Loading starts every member's session at `nowMs`
 * (`GroupCoordinator#onGroupLoaded`), since heartbeat times are not in the log.
 */
export function replayGroupRecords(records: readonly GroupRecord[], nowMs: number): Record<string, GroupMetadata> {
  const metadata = new Map<string, GroupMetadataRecord>();
  const offsets = new Map<string, Record<string, Record<number, OffsetAndMetadata>>>();
  for (const record of records) {
    if (record.type === 'GroupMetadata') {
      metadata.set(record.groupId, record);
      if (!offsets.has(record.groupId)) offsets.set(record.groupId, {});
    } else {
      const byTopic = offsets.get(record.groupId) ?? {};
      const { offset, metadata: text, commitTimestampMs } = record;
      byTopic[record.topic] = { ...byTopic[record.topic], [record.partition]: { offset, metadata: text, commitTimestampMs } };
      offsets.set(record.groupId, byTopic);
    }
  }
  const groups: Record<string, GroupMetadata> = {};
  for (const [groupId, groupOffsets] of offsets) {
    const record = metadata.get(groupId);
    const group = record === undefined ? emptyGroup(groupId, nowMs) : loadGroup(record, nowMs);
    groups[groupId] = { ...group, offsets: groupOffsets };
  }
  return groups;
}

// GroupMetadata.loadGroup: members are added in record order, so the leader comes from the record, not `add`.
function loadGroup(record: GroupMetadataRecord, nowMs: number): GroupMetadata {
  const base: GroupMetadata = {
    ...emptyGroup(record.groupId, record.currentStateTimestampMs),
    state: record.members.length === 0 ? 'Empty' : 'Stable',
    generationId: record.generationId,
    protocolType: record.protocolType,
    protocolName: record.protocolName,
  };
  const loaded = record.members.reduce((group, member) => addMember(group, loadMember(record, member, nowMs)), base);
  return { ...loaded, leaderId: record.members.length === 0 ? null : record.leaderId };
}

function loadMember(record: GroupMetadataRecord, member: GroupMetadataRecordMember, nowMs: number): MemberMetadata {
  return {
    memberId: member.memberId,
    ...(member.groupInstanceId === undefined ? {} : { groupInstanceId: member.groupInstanceId }),
    clientId: member.clientId,
    sessionTimeoutMs: member.sessionTimeoutMs,
    rebalanceTimeoutMs: member.rebalanceTimeoutMs,
    protocolType: record.protocolType ?? '',
    supportedProtocols: [{ name: record.protocolName ?? '', metadata: member.subscription }],
    assignment: member.assignment,
    lastHeartbeatMs: nowMs,
    isNew: false,
    awaitingJoin: false,
    awaitingSync: false,
  };
}

function recordMember(
  member: MemberMetadata,
  protocolName: string,
  assignments: Readonly<Record<string, readonly TopicPartition[]>>,
): GroupMetadataRecordMember {
  return {
    memberId: member.memberId,
    ...(member.groupInstanceId === undefined ? {} : { groupInstanceId: member.groupInstanceId }),
    clientId: member.clientId,
    rebalanceTimeoutMs: member.rebalanceTimeoutMs,
    sessionTimeoutMs: member.sessionTimeoutMs,
    subscription: metadataFor(member, protocolName),
    assignment: Object.hasOwn(assignments, member.memberId) ? (assignments[member.memberId] ?? []) : [],
  };
}
