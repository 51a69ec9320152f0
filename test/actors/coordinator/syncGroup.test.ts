import { describe, expect, it } from 'vitest';
import { emptyGroup, memberOf } from '../../../actors/coordinator/GroupMetadata.ts';
import { syncGroup } from '../../../actors/coordinator/syncGroup.ts';
import { completeRebalance, counter, join, joinNew, stableGroup, syncAnswer } from './coordinatorFixtures.ts';

function completingGroup() {
  const ids = counter();
  const a = joinNew(emptyGroup('g'), 'a', 0, ids);
  const b = joinNew(a.result.state, 'b', 0, ids);
  const c = joinNew(b.result.state, 'c', 0, ids);
  return { group: completeRebalance(c.result.state).state, leaderId: a.memberId, followers: [b.memberId, c.memberId] as const };
}

describe('syncGroup', () => {
  it("parks followers until the leader's assignment arrives, then answers everyone and becomes Stable", () => {
    const { group, leaderId, followers } = completingGroup();
    const follower = syncGroup(group, { memberId: followers[0], generationId: 1, assignments: {} }, 7_000);
    expect(follower.response).toBeNull();
    expect(follower.effects).toEqual([{ type: 'parkSync', memberId: followers[0] }]);
    expect(follower.state.state).toBe('CompletingRebalance');
    const assignments = { [leaderId]: [['t', 0]], [followers[0]]: [['t', 1]] } as Record<string, [string, number][]>;
    const leader = syncGroup(follower.state, { memberId: leaderId, generationId: 1, assignments }, 7_001);
    expect(leader.response).toMatchObject({ errorCode: 'NONE', assignment: [['t', 0]], protocolName: 'range' });
    expect(syncAnswer(leader.effects, followers[0])).toMatchObject({ errorCode: 'NONE', assignment: [['t', 1]] });
    expect(leader.state.state).toBe('Stable');
    expect(leader.effects[0]).toMatchObject({ type: 'append', records: [{ type: 'GroupMetadata', generationId: 1 }] });
  });

  it('gives members the leader omitted an empty assignment', () => {
    const { group, leaderId, followers } = completingGroup();
    const leader = syncGroup(group, { memberId: leaderId, generationId: 1, assignments: { [leaderId]: [['t', 0]] } }, 7_000);
    expect(memberOf(leader.state, followers[1])?.assignment).toEqual([]);
    const late = syncGroup(leader.state, { memberId: followers[1], generationId: 1, assignments: {} }, 7_001);
    expect(late.response).toMatchObject({ errorCode: 'NONE', assignment: [] });
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
