import type { GroupMetadata } from '../coordinator/GroupMetadata.ts';
import type { OffsetCommitRecord } from '../coordinator/groupRecords.ts';
import type { StoredAssignment } from '../coordinator/CoordinatorResult.ts';
import type { GroupResponseMessage } from '../../src/protocol/groupMessages.ts';

// The group coordinator a broker hosts, as plain data inside the broker's state (Kafka's GroupCoordinator and
// GroupMetadataManager live in the broker process too). One shard per `__consumer_offsets` partition the broker
// leads: the groups that hash to it, loaded from the partition's log when the broker became its leader.

/** Where to send the answer to a request: the client and the request's correlation id. */
export interface Requester {
  readonly to: string;
  readonly correlationId: number;
}

/**
 * An answer held until the coordinator's append to `__consumer_offsets` is committed (Kafka answers SyncGroup and
 * OffsetCommit in the append's callback): the answer on success; a failed append turns it into an error answer.
 */
export interface DeferredAnswer {
  readonly to: string;
  readonly success: GroupResponseMessage;
}

/** The coordinator of the groups of one `__consumer_offsets` partition. */
export interface CoordinatorShard {
  readonly partition: number;
  /** The leader epoch this broker leads the partition in. */
  readonly leaderEpoch: number;
  /** False while the partition's log is being replayed: requests get COORDINATOR_LOAD_IN_PROGRESS. */
  readonly loaded: boolean;
  readonly groups: Readonly<Record<string, GroupMetadata>>;
  /** Parked JoinGroup and SyncGroup requests, by `groupId join|sync memberId`. */
  readonly parked: Readonly<Record<string, Requester>>;
  /** Answers waiting for an append, by append id. */
  readonly appends: Readonly<Record<string, readonly DeferredAnswer[]>>;
  /** Accepted offset commits waiting for their append to commit, by append id (Kafka's pendingOffsetCommits). */
  readonly pendingOffsetCommits: Readonly<Record<string, { readonly groupId: string; readonly records: readonly OffsetCommitRecord[] }>>;
  /** Leaders' assignments waiting for their GroupMetadata record to commit, by append id. */
  readonly pendingAssignments: Readonly<Record<string, { readonly groupId: string; readonly stored: StoredAssignment }>>;
}

/** Every shard this broker hosts, and the counters that name new member ids and appends. */
export interface CoordinatorHostState {
  readonly shards: Readonly<Record<number, CoordinatorShard>>;
  readonly nextMemberId: number;
  readonly nextAppendId: number;
}

/** A broker that leads no `__consumer_offsets` partition yet. */
export function emptyCoordinatorHost(): CoordinatorHostState {
  return { shards: {}, nextMemberId: 0, nextAppendId: 0 };
}

/** The key a parked request is kept under. */
export function parkedKey(groupId: string, kind: 'join' | 'sync', memberId: string): string {
  return `${groupId} ${kind} ${memberId}`;
}
