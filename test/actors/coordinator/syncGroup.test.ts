import { describe, expect, it } from 'vitest';
import { emptyGroup, memberOf } from '../../../actors/coordinator/GroupMetadata.ts';
import { syncGroup } from '../../../actors/coordinator/syncGroup.ts';
import { completeRebalance, counter, join, joinNew, stableGroup, stored, syncAnswer } from './coordinatorFixtures.ts';

function completingGroup() {
  const ids = counter();
  const a = joinNew(emptyGroup('g'), 'a', 0, ids);
  const b = joinNew(a.result.state, 'b', 0, ids);
  const c = joinNew(b.result.state, 'c', 0, ids);
  return { group: completeRebalance(c.result.state).state, leaderId: a.memberId, followers: [b.memberId, c.memberId] as const };
}

describe('syncGroup', () => {
  it("parks followers until the leader's assignment arrives, writes it, and answers everyone only once the record commits", () => {
    const { group, leaderId, followers } = completingGroup();
    const follower = syncGroup(group, { memberId: followers[0], generationId: 1, assignments: {} }, 7_000);
    expect(follower.response).toBeNull();
    expect(follower.effects).toEqual([{ type: 'parkSync', memberId: followers[0] }]);
    expect(follower.state.state).toBe('CompletingRebalance');
    const assignments = { [leaderId]: [['t', 0]], [followers[0]]: [['t', 1]] } as Record<string, [string, number][]>;
    const leader = syncGroup(follower.state, { memberId: leaderId, generationId: 1, assignments }, 7_001);
    // The leader waits too, and nobody owns anything yet: a failover before the commit must not hand out twice.
    expect(leader.response).toBeNull();
    expect(leader.state.state).toBe('CompletingRebalance');
    expect(leader.effects.filter((e) => e.type === 'answerSync')).toEqual([]);
    expect(leader.effects).toContainEqual(expect.objectContaining({ type: 'append', records: [expect.objectContaining({ type: 'GroupMetadata', generationId: 1 })], stored: expect.objectContaining({ generationId: 1 }) }));
    const committed = stored(leader, 7_050);
    expect(syncAnswer(committed.effects, leaderId)).toMatchObject({ errorCode: 'NONE', assignment: [['t', 0]], protocolName: 'range' });
    expect(syncAnswer(committed.effects, followers[0])).toMatchObject({ errorCode: 'NONE', assignment: [['t', 1]] });
    expect(committed.state.state).toBe('Stable');
    expect(memberOf(committed.state, leaderId)?.lastHeartbeatMs).toBe(7_050);
  });

  it('parks a SyncGroup that arrives while the assignment is being written, and gives members the leader omitted an empty one', () => {
    const { group, leaderId, followers } = completingGroup();
    const leader = syncGroup(group, { memberId: leaderId, generationId: 1, assignments: { [leaderId]: [['t', 0]] } }, 7_000);
    const late = syncGroup(leader.state, { memberId: followers[1], generationId: 1, assignments: {} }, 7_001);
    expect(late.response).toBeNull();
    const committed = stored({ ...late, effects: leader.effects }, 7_002);
    expect(syncAnswer(committed.effects, followers[1])).toMatchObject({ errorCode: 'NONE', assignment: [] });
    expect(memberOf(committed.state, followers[1])?.assignment).toEqual([]);
  });

  it('answers the parked SyncGroups with the append error and starts a rebalance when the assignment cannot be stored', () => {
    const { group, leaderId, followers } = completingGroup();
    const follower = syncGroup(group, { memberId: followers[0], generationId: 1, assignments: {} }, 7_000);
    const leader = syncGroup(follower.state, { memberId: leaderId, generationId: 1, assignments: { [leaderId]: [['t', 0]], [followers[0]]: [['t', 1]] } }, 7_001);
    const failed = stored(leader, 12_001, 'COORDINATOR_NOT_AVAILABLE');
    expect(syncAnswer(failed.effects, leaderId)?.errorCode).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(syncAnswer(failed.effects, followers[0])?.errorCode).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(failed.state.state).toBe('PreparingRebalance');
    expect(failed.state.members.every((m) => m.assignment.length === 0)).toBe(true);
  });

  it('ignores a stored assignment of a generation the group has left behind', () => {
    const { group, leaderId, followers } = completingGroup();
    const leader = syncGroup(group, { memberId: leaderId, generationId: 1, assignments: { [leaderId]: [['t', 0]] } }, 7_000);
    const rejoin = join(leader.state, { clientId: 'c', memberId: followers[1], protocols: [{ name: 'range', metadata: { topics: ['u'] } }] }, 7_001);
    expect(rejoin.state.state).toBe('PreparingRebalance');
    const late = stored({ ...rejoin, effects: leader.effects }, 7_002);
    expect(late.state).toBe(rejoin.state);
    expect(late.effects.filter((e) => e.type === 'answerSync')).toEqual([]);
  });

  it('refuses an unknown member, another generation, and a sync during PreparingRebalance', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const [leaderId, followerId] = memberIds as [string, string];
    expect(syncGroup(group, { memberId: 'ghost', generationId: 1, assignments: {} }, 7_000).response?.errorCode).toBe('UNKNOWN_MEMBER_ID');
    expect(syncGroup(group, { memberId: followerId, generationId: 0, assignments: {} }, 7_000).response?.errorCode).toBe('ILLEGAL_GENERATION');
    const preparing = join(group, { clientId: 'a', memberId: leaderId }, 7_000).state;
    const sync = syncGroup(preparing, { memberId: followerId, generationId: 1, assignments: {} }, 7_001);
    expect(sync.response?.errorCode).toBe('REBALANCE_IN_PROGRESS');
  });

  it('answers parked syncs REBALANCE_IN_PROGRESS when a rebalance starts before the leader syncs', () => {
    const { group, followers } = completingGroup();
    const parked = syncGroup(group, { memberId: followers[0], generationId: 1, assignments: {} }, 7_000).state;
    const changed = join(parked, { clientId: 'c', memberId: followers[1], protocols: [{ name: 'range', metadata: { topics: ['u'] } }] }, 7_001);
    expect(changed.state.state).toBe('PreparingRebalance');
    expect(syncAnswer(changed.effects, followers[0])?.errorCode).toBe('REBALANCE_IN_PROGRESS');
  });

  it('gives a member of a Stable group its current assignment again', () => {
    const { group, memberIds, assignments } = stableGroup(['a', 'b']);
    const again = syncGroup(group, { memberId: memberIds[1] ?? '', generationId: 1, assignments: {} }, 9_000);
    expect(again.response?.assignment).toEqual(assignments[memberIds[1] ?? '']);
    expect(again.state.state).toBe('Stable');
  });
});
