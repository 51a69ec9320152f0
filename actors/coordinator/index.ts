// The classic group coordinator's rules as pure functions: JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
// OffsetCommit, OffsetFetch, the session and rebalance timers, and the `__consumer_offsets` records a new
// coordinator replays. The coordinator machine calls these and carries out the effects they return.
export { coordinatorDefaults } from './coordinatorDefaults.ts';
export type { CoordinatorConfig } from './coordinatorDefaults.ts';
export type { CoordinatorEffect, CoordinatorResult, JoinGroupResponse, SyncGroupResponse } from './CoordinatorResult.ts';
export { emptyGroup, hasMember, memberOf, selectProtocol } from './GroupMetadata.ts';
export type { GroupMetadata, GroupState, InitialDelayedJoin, JoinGroupResponseMember, OffsetAndMetadata } from './GroupMetadata.ts';
export type { ConsumerProtocolSubscription, MemberMetadata, MemberProtocol } from './MemberMetadata.ts';
export { joinGroup } from './joinGroup.ts';
export type { JoinGroupOptions, JoinGroupRequest } from './joinGroup.ts';
export { completeJoin, onRebalanceDeadline } from './completeJoin.ts';
export { syncGroup } from './syncGroup.ts';
export type { SyncGroupRequest } from './syncGroup.ts';
export { heartbeat } from './heartbeat.ts';
export type { HeartbeatRequest, HeartbeatResponse } from './heartbeat.ts';
export { leaveGroup } from './leaveGroup.ts';
export type { LeaveGroupRequest, LeaveGroupResponse, MemberIdentity } from './leaveGroup.ts';
export type { RebalanceOptions } from './prepareRebalance.ts';
export { expireDeadlines, heartbeatDeadlineMs, nextDeadlineMs, sessionExpiredMembers } from './sessionExpiry.ts';
export type { ExpiryOptions } from './sessionExpiry.ts';
export { commitOffsets, validateOffsetCommit } from './offsetCommit.ts';
export type { OffsetCommitOptions, OffsetCommitPartition, OffsetCommitRequest, OffsetCommitResponse } from './offsetCommit.ts';
export { fetchOffsets } from './offsetFetch.ts';
export type { OffsetFetchPartition, OffsetFetchRequest, OffsetFetchResponse } from './offsetFetch.ts';
export { currentGroupMetadataRecord, groupMetadataRecord, replayGroupRecords } from './groupRecords.ts';
export type { GroupMetadataRecord, GroupMetadataRecordMember, GroupRecord, OffsetCommitRecord } from './groupRecords.ts';
