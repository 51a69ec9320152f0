// Eager and cooperative rebalancing on the client side (KIP-429, `ConsumerCoordinator#onJoinPrepare`,
// `#onJoinComplete`, `#onLeaderElected`, `#validateCooperativeAssignment`). Eager: revoke everything before
// JoinGroup, take the new assignment whole. Cooperative: keep consuming what you own, tell the leader (the
// subscription's ownedPartitions and generation), revoke only what the new assignment lacks, and rejoin at once
// if you revoked anything, so the follow-up rebalance can hand those partitions to their new owners.
import { assignPartitions, assignmentStrategies, type AssignmentStrategy } from '../assignors/assignPartitions.ts';
import type { Assignment, AssignorMember } from '../assignors/AssignmentInput.ts';
import { partitionKey, type TopicPartition } from '../assignors/TopicPartition.ts';
import type { ConsumerProtocolSubscription, JoinGroupResponseMember } from '../../src/protocol/groupMessages.ts';
import { invariant } from './invariant.ts';

/** `ConsumerPartitionAssignor.RebalanceProtocol`. */
export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE';

// `ConsumerPartitionAssignor#supportedProtocols`: only the cooperative sticky assignor supports COOPERATIVE.
const supportedProtocols: Readonly<Record<AssignmentStrategy, readonly RebalanceProtocol[]>> = {
  range: ['EAGER'],
  roundrobin: ['EAGER'],
  sticky: ['EAGER'],
  'cooperative-sticky': ['EAGER', 'COOPERATIVE'],
};

/**
 * The protocol a consumer rebalances with: the highest one every configured assignor supports (ConsumerCoordinator's
 * constructor). So the 3.0+ default ['range', 'cooperative-sticky'] is still EAGER; a consumer moves to
 * COOPERATIVE only once range is dropped from its list (KIP-429's two-step upgrade).
 */
export function rebalanceProtocolFor(strategies: readonly AssignmentStrategy[]): RebalanceProtocol {
  invariant(strategies.length > 0, 'a consumer needs at least one assignor');
  return strategies.every((s) => supportedProtocols[s].includes('COOPERATIVE')) ? 'COOPERATIVE' : 'EAGER';
}

/** How an assignment differs from what the member owned: partitions to give up, to start, and to keep. */
export interface AssignmentChange {
  readonly revoked: readonly TopicPartition[];
  readonly added: readonly TopicPartition[];
  readonly kept: readonly TopicPartition[];
}

/** The difference between `owned` and `assigned`, each list in the order of its source. */
export function assignmentChange(owned: readonly TopicPartition[], assigned: readonly TopicPartition[]): AssignmentChange {
  const ownedKeys = new Set(owned.map((tp) => partitionKey(...tp)));
  const assignedKeys = new Set(assigned.map((tp) => partitionKey(...tp)));
  return {
    revoked: owned.filter((tp) => !assignedKeys.has(partitionKey(...tp))),
    added: assigned.filter((tp) => !ownedKeys.has(partitionKey(...tp))),
    kept: assigned.filter((tp) => ownedKeys.has(partitionKey(...tp))),
  };
}

/**
 * The partitions to revoke before sending JoinGroup (`onJoinPrepare`): all of them under EAGER; under COOPERATIVE
 * only those of topics the member no longer subscribes to, the rest are kept and consumed through the rebalance.
 */
export function partitionsToRevokeBeforeJoin(
  protocol: RebalanceProtocol,
  owned: readonly TopicPartition[],
  topics: readonly string[],
): TopicPartition[] {
  if (protocol === 'EAGER') return [...owned];
  return owned.filter(([topic]) => !topics.includes(topic));
}

/**
 * What a SyncGroup assignment does (`onJoinComplete`): the change from `owned`, and whether the member must rejoin
 * at once. Under COOPERATIVE a member that revoked anything rejoins, because the leader withheld those partitions
 * from their new owners until this member has let go of them.
 */
export function onAssignment(
  protocol: RebalanceProtocol,
  owned: readonly TopicPartition[],
  assigned: readonly TopicPartition[],
): AssignmentChange & { readonly rejoin: boolean } {
  const change = assignmentChange(owned, assigned);
  return { ...change, rejoin: protocol === 'COOPERATIVE' && change.revoked.length > 0 };
}

/**
 * The subscription a member joins with for one assignor (`ConsumerCoordinator#metadata`): its topics, the
 * partitions it owns now and the generation they belong to. Under EAGER it owns nothing by the time it joins; the
 * eager `sticky` assignor then carries its last assignment in its user data (`StickyAssignor#subscriptionUserData`),
 * which is what stays sticky, so that assignment stands in for ownedPartitions here.
 */
export function subscriptionFor(
  strategy: AssignmentStrategy,
  member: {
    readonly topics: readonly string[];
    readonly ownedPartitions: readonly TopicPartition[];
    readonly generationId: number;
    readonly lastAssignment: { readonly partitions: readonly TopicPartition[]; readonly generationId: number } | null;
  },
): ConsumerProtocolSubscription {
  const topics = [...member.topics];
  if (strategy === 'sticky' && member.ownedPartitions.length === 0 && member.lastAssignment !== null) {
    return { topics, ownedPartitions: [...member.lastAssignment.partitions], generation: member.lastAssignment.generationId };
  }
  return { topics, ownedPartitions: [...member.ownedPartitions], generation: member.generationId };
}

/** What the elected leader assigns with: the group's protocol, every member's subscription, the partition counts. */
export interface LeaderAssignmentInput {
  readonly protocolName: string;
  readonly members: readonly JoinGroupResponseMember[];
  /** Partition count per topic from the leader's metadata; a topic missing here is not assigned yet. */
  readonly partitionsPerTopic: Readonly<Record<string, number>>;
}

/**
 * The leader's step (`onLeaderElected`): run the group's assignor over every member's subscription and return the
 * partitions of each member, which SyncGroup carries to the coordinator. Under the cooperative assignor the result
 * is checked as Kafka's `validateCooperativeAssignment` does: no partition revoked from one member and added to
 * another in the same round.
 */
export function leaderAssignment(input: LeaderAssignmentInput): Assignment {
  const strategy = input.protocolName as AssignmentStrategy;
  invariant(assignmentStrategies.includes(strategy), `the group chose protocol ${input.protocolName}, which no assignor implements`);
  const members = assignorMembers(input.members);
  const assignment = assignPartitions(strategy, { members, partitionsPerTopic: { ...input.partitionsPerTopic } });
  if (supportedProtocols[strategy].includes('COOPERATIVE')) {
    const both = revokedAndAddedInOneRound(members, assignment);
    invariant(both.length === 0, `cooperative assignment revokes and adds ${both.join(', ')} in the same round`);
  }
  return assignment;
}

/**
 * The cooperative-moves-in-one-rebalance weakening's leader (bug C2): the sticky assignment with nothing withheld,
 * so a partition changes owner within one rebalance, and no validation (`validateCooperativeAssignment`) stops it.
 */
export function unwithheldAssignment(input: Omit<LeaderAssignmentInput, 'protocolName'>): Assignment {
  return assignPartitions('sticky', { members: assignorMembers(input.members), partitionsPerTopic: { ...input.partitionsPerTopic } });
}

// The members as the assignor sees them: subscription, claimed partitions and the generation of the claim.
function assignorMembers(members: readonly JoinGroupResponseMember[]): AssignorMember[] {
  return members.map(({ memberId, groupInstanceId, metadata }) => ({
    memberId,
    ...(groupInstanceId === undefined ? {} : { groupInstanceId }),
    topics: [...metadata.topics],
    ownedPartitions: (metadata.ownedPartitions ?? []).map(([topic, partition]): TopicPartition => [topic, partition]),
    generation: metadata.generation ?? -1,
  }));
}

// `validateCooperativeAssignment`: partitions some member gives up that another receives in the same assignment.
function revokedAndAddedInOneRound(members: readonly AssignorMember[], assignment: Assignment): string[] {
  const revoked = new Set<string>();
  const added = new Set<string>();
  for (const member of members) {
    const change = assignmentChange(member.ownedPartitions ?? [], assignment[member.memberId] ?? []);
    for (const tp of change.revoked) revoked.add(partitionKey(...tp));
    for (const tp of change.added) added.add(partitionKey(...tp));
  }
  return [...added].filter((key) => revoked.has(key));
}
