import { describe, expect, it } from 'vitest';
import { coordinatorDefaults } from '../../../actors/coordinator/coordinatorDefaults.ts';
import { emptyGroup, type GroupMetadata } from '../../../actors/coordinator/GroupMetadata.ts';
import { joinGroup } from '../../../actors/coordinator/joinGroup.ts';
import { syncGroup } from '../../../actors/coordinator/syncGroup.ts';
import { startJoin, type Membership } from '../../../actors/consumer/membership.ts';
import { onJoinGroupResponse, onSyncGroupResponse } from '../../../actors/consumer/membershipResponses.ts';
import { completeRebalance, counter, joinAnswer, stored, syncAnswer } from '../coordinator/coordinatorFixtures.ts';
import { eagerConfig, freshMember, joinRequestOf, keys, only, syncRequestOf } from './consumerFixtures.ts';

// Two consumers against the coordinator's own rules: the consumer's requests go in, the coordinator's answers
// come back, nothing else in between.
const context = { config: eagerConfig, partitionsPerTopic: { t: 4 } };

function joinThroughMemberIdRequired(group: GroupMetadata, member: Membership, ids: () => string) {
  const options = { nowMs: 0, config: coordinatorDefaults, newMemberIdSuffix: ids };
  const first = startJoin(member, eagerConfig);
  const refused = joinGroup(group, joinRequestOf(first), options);
  if (refused.response?.errorCode !== 'MEMBER_ID_REQUIRED') throw new Error('expected MEMBER_ID_REQUIRED');
  const again = onJoinGroupResponse(first.state, refused.response, context);
  const parked = joinGroup(refused.state, joinRequestOf(again), options);
  expect(parked.response).toBeNull();
  return { group: parked.state, member: again.state };
}

describe('a group of two consumers and the coordinator', () => {
  it('the leader assigns for everyone, and each member receives only its own partitions', () => {
    const ids = counter();
    const a = joinThroughMemberIdRequired(emptyGroup('g'), freshMember('a'), ids);
    const b = joinThroughMemberIdRequired(a.group, freshMember('b'), ids);
    const completed = completeRebalance(b.group);
    const leaderAnswer = joinAnswer(completed.effects, a.member.memberId);
    const followerAnswer = joinAnswer(completed.effects, b.member.memberId);
    expect(leaderAnswer?.members).toHaveLength(2);
    expect(followerAnswer?.members).toEqual([]);

    const leader = onJoinGroupResponse(a.member, leaderAnswer!, context);
    const follower = onJoinGroupResponse(b.member, followerAnswer!, context);
    expect(leader.state.isLeader).toBe(true);
    expect(syncRequestOf(follower).assignments).toEqual({});
    const leaderAssignments = syncRequestOf(leader).assignments;
    expect(Object.keys(leaderAssignments).sort()).toEqual([a.member.memberId, b.member.memberId].sort());

    const parked = syncGroup(completed.state, syncRequestOf(follower), completed.nowMs);
    // Both SyncGroups are answered once the leader's assignment record commits.
    const written = stored(syncGroup(parked.state, syncRequestOf(leader), completed.nowMs), completed.nowMs);
    const leaderSynced = onSyncGroupResponse(leader.state, syncAnswer(written.effects, a.member.memberId)!, eagerConfig);
    const followerSynced = onSyncGroupResponse(follower.state, syncAnswer(written.effects, b.member.memberId)!, eagerConfig);

    expect(leaderSynced.state.ownedPartitions).toEqual(leaderAssignments[a.member.memberId]);
    expect(followerSynced.state.ownedPartitions).toEqual(leaderAssignments[b.member.memberId]);
    const all = [...keys(leaderSynced.state.ownedPartitions), ...keys(followerSynced.state.ownedPartitions)].sort();
    expect(all).toEqual(['t-0', 't-1', 't-2', 't-3']);
    expect(only(followerSynced, 'assignPartitions').partitions).toEqual(followerSynced.state.ownedPartitions);
    expect([leaderSynced.state.state, followerSynced.state.state]).toEqual(['STABLE', 'STABLE']);
  });
});
