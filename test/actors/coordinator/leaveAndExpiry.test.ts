import { describe, expect, it } from 'vitest';
import { emptyGroup, memberOf } from '../../../actors/coordinator/GroupMetadata.ts';
import { heartbeat } from '../../../actors/coordinator/heartbeat.ts';
import { leaveGroup } from '../../../actors/coordinator/leaveGroup.ts';
import { expireDeadlines, nextDeadlineMs, sessionExpiredMembers } from '../../../actors/coordinator/sessionExpiry.ts';
import { config, counter, join, joinAnswer, rebalance, sessionTimeoutMs, stableGroup } from './coordinatorFixtures.ts';

describe('leaveGroup', () => {
  it('removes the member and moves a Stable group to PreparingRebalance', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const left = leaveGroup(group, { members: [{ memberId: memberIds[1] ?? '' }] }, rebalance(7_000));
    expect(left.response).toEqual({ errorCode: 'NONE', members: [{ memberId: memberIds[1], errorCode: 'NONE' }] });
    expect(left.state.state).toBe('PreparingRebalance');
    expect(memberOf(left.state, memberIds[1] ?? '')).toBeUndefined();
  });

  it('completes the rebalance at once when the leaving member was the only one awaited', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const [leaderId, followerId] = memberIds as [string, string];
    const rejoined = join(group, { clientId: 'a', memberId: leaderId }, 7_000).state;
    const left = leaveGroup(rejoined, { members: [{ memberId: followerId }] }, rebalance(7_001));
    expect(left.state).toMatchObject({ state: 'CompletingRebalance', generationId: 2 });
    expect(joinAnswer(left.effects, leaderId)?.members.map((m) => m.memberId)).toEqual([leaderId]);
  });

  it('answers UNKNOWN_MEMBER_ID for a stranger, FENCED_INSTANCE_ID for a replaced static id, and removes by instance id', () => {
    let group = join(emptyGroup('g'), { groupInstanceId: 'i1' }, 0, () => 'old').state;
    group = join(group, { groupInstanceId: 'i1' }, 1, () => 'new').state;
    const response = leaveGroup(
      group,
      { members: [{ memberId: 'ghost' }, { memberId: 'i1-old', groupInstanceId: 'i1' }, { memberId: '', groupInstanceId: 'i1' }] },
      rebalance(2),
    );
    expect(response.response?.members.map((m) => m.errorCode)).toEqual(['UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', 'NONE']);
    expect(response.state.members).toEqual([]);
    expect(joinAnswer(response.effects, 'i1-new')?.errorCode).toBe('UNKNOWN_MEMBER_ID');
  });

  it('drops a pending member id, so the join no longer waits for it', () => {
    const first = join(emptyGroup('g'), {}, 0, () => 'p');
    const left = leaveGroup(first.state, { members: [{ memberId: 'c-p' }] }, rebalance(1));
    expect(left.state.pendingMembers).toEqual({});
  });
});

describe('session expiry', () => {
  it('removes a member whose session timed out and starts a rebalance', () => {
    const { group, memberIds, nowMs } = stableGroup(['a', 'b']);
    const [leaderId, followerId] = memberIds as [string, string];
    const alive = heartbeat(group, { memberId: leaderId, generationId: 1 }, nowMs + 5_000).state;
    expect(sessionExpiredMembers(alive, nowMs + sessionTimeoutMs - 1, config)).toEqual([]);
    expect(sessionExpiredMembers(alive, nowMs + sessionTimeoutMs, config)).toEqual([followerId]);
    const expired = expireDeadlines(alive, { nowMs: nowMs + sessionTimeoutMs, config });
    expect(expired.state.state).toBe('PreparingRebalance');
    expect(memberOf(expired.state, followerId)).toBeUndefined();
  });

  it('does not expire a member whose JoinGroup is parked', () => {
    const { group, memberIds, nowMs } = stableGroup(['a', 'b']);
    const rejoined = join(group, { clientId: 'b', memberId: memberIds[1], protocols: [{ name: 'range', metadata: { topics: ['u'] } }] }, nowMs);
    expect(sessionExpiredMembers(rejoined.state, nowMs + 20_000, config)).toEqual([memberIds[0]]);
  });

  it('forgets a pending member id after its session timeout', () => {
    const first = join(emptyGroup('g'), {}, 0, () => 'p');
    expect(nextDeadlineMs(first.state, config)).toBe(sessionTimeoutMs);
    expect(expireDeadlines(first.state, { nowMs: sessionTimeoutMs, config }).state.pendingMembers).toEqual({});
  });

  it('completes the join when the rebalance timeout expires, without the members that did not rejoin', () => {
    const { group, memberIds, nowMs } = stableGroup(['a', 'b'], 4, counter());
    const [leaderId, followerId] = memberIds as [string, string];
    let state = join(group, { clientId: 'a', memberId: leaderId }, nowMs).state;
    state = heartbeat(state, { memberId: followerId, generationId: 1 }, nowMs + 9_000).state;
    expect(nextDeadlineMs(state, config)).toBe(nowMs + 19_000);
    state = heartbeat(state, { memberId: followerId, generationId: 1 }, nowMs + 18_000).state;
    state = heartbeat(state, { memberId: followerId, generationId: 1 }, nowMs + 27_000).state;
    const done = expireDeadlines(state, { nowMs: nowMs + 30_000, config });
    expect(done.state).toMatchObject({ state: 'CompletingRebalance', generationId: 2 });
    expect(done.state.members.map((m) => m.memberId)).toEqual([leaderId]);
  });
});
