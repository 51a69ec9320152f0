import { ArgumentError } from '../../src/kernel/argumentError.ts';
import type { JoinGroupRequest, JoinGroupResponse } from '../../src/protocol/groupMessages.ts';
import type { CoordinatorConfig } from './coordinatorDefaults.ts';
import type { CoordinatorResult } from './CoordinatorResult.ts';
import { andThen, refuse, settle } from './CoordinatorResult.ts';
import { joinedResponse, tryCompleteJoin } from './completeJoin.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import {
  currentMemberMetadata,
  isPendingMember,
  isStaticMemberFenced,
  memberOf,
  staticMemberId,
  supportsProtocols,
} from './GroupMetadata.ts';
import { addMember, updateMember } from './groupMembership.ts';
import { joinError } from './joinError.ts';
import type { MemberMetadata } from './MemberMetadata.ts';
import { matchesProtocols } from './MemberMetadata.ts';
import { maybePrepareRebalance } from './prepareRebalance.ts';
import type { RebalanceOptions } from './prepareRebalance.ts';
import { updateStaticMemberAndRebalance } from './staticMemberJoin.ts';
import type { JoinOutcome } from './staticMemberJoin.ts';

// JoinGroup on the classic group coordinator (`GroupCoordinator#handleJoinGroup`, `doNewMemberJoinGroup`,
// `doCurrentMemberJoinGroup`, `addMemberAndRebalance`, `updateMemberAndRebalance`). The request is a wire type
// (src/protocol/groupMessages.ts), re-exported here.

export type { JoinGroupRequest } from '../../src/protocol/groupMessages.ts';

/** The time, the settings and the source of new member ids a JoinGroup is handled with. */
export interface JoinGroupOptions {
  readonly nowMs: number;
  readonly config: CoordinatorConfig;
  /** The suffix of a new member id, `clientId-<suffix>`: Kafka's random UUID, here drawn from the seeded Rng. */
  readonly newMemberIdSuffix: () => string;
  /**
   * Weakening (bug C3, KAFKA-8500): a static member that joins again with an empty member id while the group is
   * rebalancing takes its instance id's current member id instead of a new one, so the old process is not fenced
   * and both consume the same assignment.
   */
  readonly staticMemberIdNotReplaced?: boolean;
}

/**
 * Handles a JoinGroup, with Kafka's checks in order: INVALID_SESSION_TIMEOUT outside
 * [group.min.session.timeout.ms, group.max.session.timeout.ms]; COORDINATOR_NOT_AVAILABLE for a Dead group;
 * INCONSISTENT_GROUP_PROTOCOL when the type differs or no protocol is common to all members. Then a new member
 * (empty id) gets an id, a known member rejoins (see `currentMemberJoin`). A member added or rejoining is parked
 * until the join completes; the join completes at once when nobody else is awaited.
 */
export function joinGroup(
  group: GroupMetadata,
  request: JoinGroupRequest,
  options: JoinGroupOptions,
): CoordinatorResult<JoinGroupResponse> {
  if (!(request.rebalanceTimeoutMs > 0)) {
    throw new ArgumentError('joinGroup', 'request.rebalanceTimeoutMs', request.rebalanceTimeoutMs, 'a positive number');
  }
  const { config } = options;
  const { memberId } = request;
  if (request.sessionTimeoutMs < config.groupMinSessionTimeoutMs || request.sessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
    return refuse(group, joinError(memberId, 'INVALID_SESSION_TIMEOUT'));
  }
  if (group.state === 'Dead') return refuse(group, joinError(memberId, 'COORDINATOR_NOT_AVAILABLE'));
  if (!supportsProtocols(group, request.protocolType, request.protocols.map((p) => p.name))) {
    return refuse(group, joinError(memberId, 'INCONSISTENT_GROUP_PROTOCOL'));
  }
  const outcome = memberId === '' ? newMemberJoin(group, request, options) : currentMemberJoin(group, request, options);
  if ('response' in outcome) return outcome;
  // "attempt to complete JoinGroup": the member may have been the last one the join waited for.
  return settle(andThen(outcome.step, (g) => tryCompleteJoin(g, options.nowMs)), 'Join', outcome.memberId);
}

// doNewMemberJoinGroup: a static member takes over its instance id; a dynamic one must come back with its new id.
function newMemberJoin(group: GroupMetadata, request: JoinGroupRequest, options: JoinGroupOptions): JoinOutcome {
  const newMemberId = `${request.groupInstanceId ?? request.clientId}-${options.newMemberIdSuffix()}`;
  if (request.groupInstanceId !== undefined) {
    const oldMemberId = staticMemberId(group, request.groupInstanceId);
    if (oldMemberId === undefined) return addMemberAndRebalance(group, newMemberId, request, options);
    if (options.staticMemberIdNotReplaced === true && group.state !== 'Stable') {
      return currentMemberJoin(group, { ...request, memberId: oldMemberId }, options);
    }
    return updateStaticMemberAndRebalance(group, { oldMemberId, newMemberId, request }, rebalanceOptions(options));
  }
  if (request.requireKnownMemberId ?? true) {
    // The id is reserved for a session timeout (`addPendingMemberExpiration`); the join waits for it meanwhile.
    const pendingMembers = { ...group.pendingMembers, [newMemberId]: options.nowMs + request.sessionTimeoutMs };
    return refuse({ ...group, pendingMembers }, joinError(newMemberId, 'MEMBER_ID_REQUIRED'));
  }
  return addMemberAndRebalance(group, newMemberId, request, options);
}

/**
 * doCurrentMemberJoinGroup: a pending id joins as a new member. Otherwise FENCED_INSTANCE_ID for a static member
 * whose instance id another member id now holds; UNKNOWN_MEMBER_ID for an id (or instance id) the group does not
 * know. A known member rejoining in PreparingRebalance is parked. In CompletingRebalance, one with unchanged
 * protocols gets the current generation back (the leader with every subscription again); in Stable, a follower
 * with unchanged protocols gets the current generation back. Any other rejoin starts a rebalance, the leader's
 * included: it rejoins when topic metadata changed, which member metadata does not show.
 */
function currentMemberJoin(group: GroupMetadata, request: JoinGroupRequest, options: JoinGroupOptions): JoinOutcome {
  const { memberId, groupInstanceId } = request;
  if (isPendingMember(group, memberId)) {
    // Kafka throws IllegalStateException here (a pending id is never static), which the client sees as this error.
    if (groupInstanceId !== undefined) return refuse(group, joinError(memberId, 'UNKNOWN_SERVER_ERROR'));
    return addMemberAndRebalance(group, memberId, request, options);
  }
  if (isStaticMemberFenced(group, groupInstanceId, memberId)) return refuse(group, joinError(memberId, 'FENCED_INSTANCE_ID'));
  const member = memberOf(group, memberId);
  const unknownInstance = groupInstanceId !== undefined && staticMemberId(group, groupInstanceId) === undefined;
  if (member === undefined || unknownInstance) return refuse(group, joinError(memberId, 'UNKNOWN_MEMBER_ID'));
  const unchanged = matchesProtocols(member, request.protocols);
  switch (group.state) {
    case 'PreparingRebalance':
      return updateMemberAndRebalance(group, request, options);
    case 'CompletingRebalance': {
      if (!unchanged) return updateMemberAndRebalance(group, request, options);
      const members = group.leaderId === memberId ? currentMemberMetadata(group) : [];
      return refuse(group, joinedResponse(group, memberId, members));
    }
    case 'Stable':
      if (group.leaderId === memberId || !unchanged) return updateMemberAndRebalance(group, request, options);
      return refuse(group, joinedResponse(group, memberId, []));
    default:
      // Empty or Dead with members cannot happen; Kafka tells the member to start over.
      return refuse(group, joinError(memberId, 'UNKNOWN_MEMBER_ID'));
  }
}

// addMemberAndRebalance: a new member is parked; a new member in the first rebalance extends the initial delay.
function addMemberAndRebalance(
  group: GroupMetadata,
  memberId: string,
  request: JoinGroupRequest,
  options: JoinGroupOptions,
): JoinOutcome {
  const member: MemberMetadata = {
    memberId,
    ...(request.groupInstanceId === undefined ? {} : { groupInstanceId: request.groupInstanceId }),
    clientId: request.clientId,
    sessionTimeoutMs: request.sessionTimeoutMs,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs,
    protocolType: request.protocolType,
    supportedProtocols: request.protocols,
    assignment: [],
    lastHeartbeatMs: options.nowMs,
    isNew: true,
    awaitingJoin: true,
    awaitingSync: false,
  };
  const newMemberAdded = group.newMemberAdded || (group.state === 'PreparingRebalance' && group.generationId === 0);
  const added = addMember({ ...group, newMemberAdded }, member);
  return { step: maybePrepareRebalance(added, rebalanceOptions(options)), memberId };
}

// updateMemberAndRebalance: new protocols and timeouts, parked, and a rebalance if the state allows one.
function updateMemberAndRebalance(group: GroupMetadata, request: JoinGroupRequest, options: JoinGroupOptions): JoinOutcome {
  const { memberId } = request;
  const updated = updateMember(group, memberId, {
    supportedProtocols: request.protocols,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs,
    sessionTimeoutMs: request.sessionTimeoutMs,
    awaitingJoin: true,
  });
  return { step: maybePrepareRebalance(updated, rebalanceOptions(options)), memberId };
}

function rebalanceOptions(options: JoinGroupOptions): RebalanceOptions {
  return { nowMs: options.nowMs, groupInitialRebalanceDelayMs: options.config.groupInitialRebalanceDelayMs };
}
