import type { GroupMetadata, GroupState } from './GroupMetadata.ts';
import { memberOf } from './GroupMetadata.ts';
import type { MemberMetadata } from './MemberMetadata.ts';
import { invariant } from './invariant.ts';

// The changes to a group's membership and state, each returning a new group (`GroupMetadata#add`, `remove`,
// `updateMember`, `replaceStaticMember`, `transitionTo`). They check Kafka's assertions and nothing else; the
// protocol's checks are the request handlers' business.

// GroupMetadata.validPreviousStates
const validPreviousStates: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

/** Moves the group to `state`, asserting Kafka's allowed transitions. */
export function transitionTo(group: GroupMetadata, state: GroupState, nowMs: number): GroupMetadata {
  invariant(
    validPreviousStates[state].includes(group.state),
    `group ${group.groupId} cannot move from ${group.state} to ${state}`,
  );
  return { ...group, state, currentStateTimestampMs: nowMs };
}

/** Whether a rebalance may start from the current state (`canRebalance`). */
export function canRebalance(group: GroupMetadata): boolean {
  return validPreviousStates.PreparingRebalance.includes(group.state);
}

/**
 * Adds a member (`GroupMetadata#add`): the first member fixes the protocol type and becomes the leader; a static
 * member takes its instance id; a pending member id stops being pending.
 */
export function addMember(group: GroupMetadata, member: MemberMetadata): GroupMetadata {
  invariant(memberOf(group, member.memberId) === undefined, `member ${member.memberId} added twice`);
  const protocolType = group.members.length === 0 ? member.protocolType : group.protocolType;
  invariant(protocolType === member.protocolType, `member ${member.memberId} has protocol type ${member.protocolType}`);
  const { [member.memberId]: _, ...pendingMembers } = group.pendingMembers;
  return {
    ...group,
    protocolType,
    leaderId: group.leaderId ?? member.memberId,
    members: [...group.members, member],
    pendingMembers,
    staticMembers: withStaticMember(group.staticMembers, member),
  };
}

/**
 * Removes a member (`GroupMetadata#remove`). A leaving leader hands over to the first remaining member; Kafka takes
 * the first key of its HashMap, the simulator the earliest added member.
 */
export function removeMember(group: GroupMetadata, memberId: string): GroupMetadata {
  const member = memberOf(group, memberId);
  if (member === undefined) return group;
  const members = group.members.filter((m) => m.memberId !== memberId);
  const staticMembers = { ...group.staticMembers };
  if (member.groupInstanceId !== undefined) delete staticMembers[member.groupInstanceId];
  const leaderId = group.leaderId === memberId ? (members[0]?.memberId ?? null) : group.leaderId;
  return { ...group, members, staticMembers, leaderId };
}

/** Replaces one member's fields. */
export function updateMember(group: GroupMetadata, memberId: string, change: Partial<MemberMetadata>): GroupMetadata {
  invariant(memberOf(group, memberId) !== undefined, `update of unknown member ${memberId}`);
  const members = group.members.map((m) => (m.memberId === memberId ? { ...m, ...change, memberId } : m));
  return { ...group, members };
}

/** Applies `change` to every member. */
export function updateMembers(group: GroupMetadata, change: (member: MemberMetadata) => MemberMetadata): GroupMetadata {
  return { ...group, members: group.members.map(change) };
}

/**
 * Gives a static member a new member id, keeping everything else, its assignment included
 * (`replaceStaticMember`). The old id's parked requests are the caller's to fence. The member keeps its place.
 */
export function replaceStaticMember(group: GroupMetadata, oldMemberId: string, newMemberId: string): GroupMetadata {
  const member = memberOf(group, oldMemberId);
  invariant(member?.groupInstanceId !== undefined, `replaceStaticMember: ${oldMemberId} is not a static member`);
  const replaced = { ...member, memberId: newMemberId, awaitingJoin: false, awaitingSync: false };
  return {
    ...group,
    members: group.members.map((m) => (m.memberId === oldMemberId ? replaced : m)),
    leaderId: group.leaderId === oldMemberId ? newMemberId : group.leaderId,
    staticMembers: withStaticMember(group.staticMembers, replaced),
  };
}

function withStaticMember(staticMembers: GroupMetadata['staticMembers'], member: MemberMetadata): GroupMetadata['staticMembers'] {
  if (member.groupInstanceId === undefined) return staticMembers;
  return { ...staticMembers, [member.groupInstanceId]: member.memberId };
}
