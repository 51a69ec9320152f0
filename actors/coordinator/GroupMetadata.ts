import type { JoinGroupResponseMember } from '../../src/protocol/groupMessages.ts';
import type { MemberMetadata } from './MemberMetadata.ts';
import { metadataFor, vote } from './MemberMetadata.ts';
import { invariant } from './invariant.ts';

// A classic group as plain JSON data (`GroupMetadata.scala`): its state machine, generation, members, the
// rebalance in progress and the offsets committed to it. Every function here reads; the changes live in
// groupMembership.ts and the request handlers. The members a leader's JoinGroup response lists are a wire type
// (src/protocol/groupMessages.ts), re-exported here.

export type { JoinGroupResponseMember } from '../../src/protocol/groupMessages.ts';

/** The states of a classic group (`GroupState`); the arrows are in `GroupMetadata.validPreviousStates`. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** A committed offset (`OffsetAndMetadata`): the next offset to read, the client's string, and when it was stored. */
export interface OffsetAndMetadata {
  readonly offset: number;
  readonly metadata: string;
  readonly commitTimestampMs: number;
}

/**
 * The parked join of a group that was Empty (`InitialDelayedJoin`): it waits `delayMs`, then waits again while new
 * members keep arriving, until `remainingMs` (the rebalance timeout less the first delay) is used up.
 */
export interface InitialDelayedJoin {
  readonly configuredRebalanceDelayMs: number;
  readonly delayMs: number;
  readonly remainingMs: number;
}

/** A group and its committed offsets. Members are kept in the order they were added, as Kafka's map iterates them. */
export interface GroupMetadata {
  readonly groupId: string;
  readonly state: GroupState;
  readonly currentStateTimestampMs: number;
  /** Starts at 0 and grows by one on every completed join, also when the group ends up Empty. */
  readonly generationId: number;
  /** Fixed by the first member (`consumer` for consumers); free again once the group is Empty. */
  readonly protocolType: string | null;
  /** The protocol (assignor) the current generation voted for; null while Empty. */
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  readonly members: readonly MemberMetadata[];
  /** Member ids handed out with MEMBER_ID_REQUIRED (KIP-394), each with the time its reservation expires. */
  readonly pendingMembers: Readonly<Record<string, number>>;
  /** `group.instance.id` -> the member id that currently holds it. */
  readonly staticMembers: Readonly<Record<string, string>>;
  /** Committed offsets by topic, then partition. */
  readonly offsets: Readonly<Record<string, Readonly<Record<number, OffsetAndMetadata>>>>;
  /** When the parked join (`DelayedJoin`) expires; null unless PreparingRebalance. */
  readonly rebalanceDeadlineMs: number | null;
  /** Set when the parked join is the initial delay of a group that was Empty. */
  readonly initialDelayedJoin: InitialDelayedJoin | null;
  /** A member joined during the first rebalance, so the initial delay may be extended (`newMemberAdded`). */
  readonly newMemberAdded: boolean;
}

/** A group the coordinator has not seen yet: Empty, generation 0, no offsets. Kafka creates it on first use. */
export function emptyGroup(groupId: string, nowMs = 0): GroupMetadata {
  return {
    groupId,
    state: 'Empty',
    currentStateTimestampMs: nowMs,
    generationId: 0,
    protocolType: null,
    protocolName: null,
    leaderId: null,
    members: [],
    pendingMembers: {},
    staticMembers: {},
    offsets: {},
    rebalanceDeadlineMs: null,
    initialDelayedJoin: null,
    newMemberAdded: false,
  };
}

/** The member with `memberId`, or undefined. */
export function memberOf(group: GroupMetadata, memberId: string): MemberMetadata | undefined {
  return group.members.find((member) => member.memberId === memberId);
}

/** Whether `memberId` is a member (pending member ids are not). */
export function hasMember(group: GroupMetadata, memberId: string): boolean {
  return memberOf(group, memberId) !== undefined;
}

/** Whether `memberId` is reserved by a MEMBER_ID_REQUIRED answer and not yet joined with. */
export function isPendingMember(group: GroupMetadata, memberId: string): boolean {
  return Object.hasOwn(group.pendingMembers, memberId);
}

/** The member id that holds `groupInstanceId`, or undefined (`currentStaticMemberId`). */
export function staticMemberId(group: GroupMetadata, groupInstanceId: string | undefined): string | undefined {
  if (groupInstanceId === undefined || !Object.hasOwn(group.staticMembers, groupInstanceId)) return undefined;
  return group.staticMembers[groupInstanceId];
}

/** A static member whose instance id is now held by another member id is a zombie (`isStaticMemberFenced`). */
export function isStaticMemberFenced(group: GroupMetadata, groupInstanceId: string | undefined, memberId: string): boolean {
  const holder = staticMemberId(group, groupInstanceId);
  return holder !== undefined && holder !== memberId;
}

/** The largest rebalance timeout of the members: how long a rebalance waits for them to rejoin. */
export function rebalanceTimeoutMs(group: GroupMetadata): number {
  return group.members.reduce((max, member) => Math.max(max, member.rebalanceTimeoutMs), 0);
}

/** Every member has rejoined and no MEMBER_ID_REQUIRED answer is outstanding (`hasAllMembersJoined`). */
export function hasAllMembersJoined(group: GroupMetadata): boolean {
  return group.members.every((member) => member.awaitingJoin) && Object.keys(group.pendingMembers).length === 0;
}

/**
 * Whether a member with these protocols may join (`supportsProtocols`): any non-empty type and list while the
 * group has no members; otherwise the same protocol type and at least one protocol every current member supports.
 */
export function supportsProtocols(group: GroupMetadata, protocolType: string, protocolNames: readonly string[]): boolean {
  // A rebalancing group whose members all left has nobody to be consistent with either: Kafka's check counts the
  // members supporting each protocol, and every count equals a member count of 0.
  if (group.state === 'Empty' || group.members.length === 0) return protocolType !== '' && protocolNames.length > 0;
  const candidates = candidateProtocols(group);
  return group.protocolType === protocolType && protocolNames.some((name) => candidates.has(name));
}

/**
 * The protocol of the next generation (`selectProtocol`): each member votes for its first choice among the
 * protocols all members support, and the most votes win. Kafka breaks a tie by its HashMap's order; here the
 * protocol voted for first, in member order, wins, so the choice is deterministic.
 */
export function selectProtocol(group: GroupMetadata): string {
  invariant(group.members.length > 0, `cannot select a protocol for empty group ${group.groupId}`);
  const candidates = candidateProtocols(group);
  const votes = new Map<string, number>();
  for (const member of group.members) {
    const choice = vote(member, candidates);
    votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  let best: [string, number] = ['', 0];
  for (const entry of votes) if (entry[1] > best[1]) best = entry;
  return best[0];
}

/** Every member's subscription for the current protocol, for the leader (`currentMemberMetadata`). */
export function currentMemberMetadata(group: GroupMetadata): JoinGroupResponseMember[] {
  const protocolName = group.protocolName;
  invariant(protocolName !== null, `group ${group.groupId} has no protocol in ${group.state}`);
  return group.members.map((member) => ({
    memberId: member.memberId,
    ...(member.groupInstanceId === undefined ? {} : { groupInstanceId: member.groupInstanceId }),
    metadata: metadataFor(member, protocolName),
  }));
}

// The protocols that every member supports (`candidateProtocols`).
function candidateProtocols(group: GroupMetadata): Set<string> {
  const [first, ...rest] = group.members;
  if (first === undefined) return new Set();
  return new Set(
    first.supportedProtocols
      .map((p) => p.name)
      .filter((name) => rest.every((member) => member.supportedProtocols.some((p) => p.name === name))),
  );
}
