// The group consumer's protocol rules as pure functions: membership (join, sync, heartbeat, leave, poll timeout),
// eager and cooperative rebalancing with the leader's assignment, positions and commits, and record processing.
// The consumer machine calls these and carries out the effects they return.
export { consumerConfigNames, consumerDefaults, resolveConsumerConfig } from './consumerDefaults.ts';
export type { AutoOffsetReset, ConsumerConfig, ConsumerSettings } from './consumerDefaults.ts';
export {
  fail,
  heartbeatRequest,
  initialMembership,
  isRejoinNeeded,
  joinGroupRequest,
  requestRejoin,
  resetStateAndRejoin,
  startJoin,
} from './membership.ts';
export type { MemberState, Membership, MembershipEffect, MembershipResult } from './membership.ts';
export { onGroupError, onHeartbeatResponse, onJoinGroupResponse, onSyncGroupResponse } from './membershipResponses.ts';
export type { JoinResponseContext } from './membershipResponses.ts';
export { closeMembership, isPollTimeoutExpired, onPollTimeout, pollTimeoutDeadlineMs, recordPoll } from './leaveGroup.ts';
export {
  assignmentChange,
  leaderAssignment,
  onAssignment,
  partitionsToRevokeBeforeJoin,
  rebalanceProtocolFor,
  subscriptionFor,
} from './rebalanceProtocol.ts';
export type { AssignmentChange, LeaderAssignmentInput, RebalanceProtocol } from './rebalanceProtocol.ts';
export {
  applyLatestOffset,
  applyOffsetFetch,
  emptyOffsetTracking,
  hasPosition,
  onPartitionsAssigned,
  onPartitionsRemoved,
  recordPolled,
  recordProcessed,
  seekToDivergentOffset,
} from './offsetTracking.ts';
export type { OffsetEffect, OffsetResult, OffsetTracking } from './offsetTracking.ts';
export { applyCommitResponse, autoCommitDone, commitRequest, isAutoCommitDue, offsetsToCommit } from './offsetCommits.ts';
export type { CommitOptions, CommitOutcome } from './offsetCommits.ts';
export {
  commitValue,
  dropPartitions,
  enqueuePolled,
  finishRecord,
  idleProcessing,
  isProcessingIdle,
  pollValue,
  processingOrder,
  processingTimeOf,
  startNextRecord,
} from './processing.ts';
export type { Processing } from './processing.ts';
