import { describe, expect, it } from 'vitest';
import { emptyGroup, memberOf } from '../../../actors/coordinator/GroupMetadata.ts';
import { heartbeat } from '../../../actors/coordinator/heartbeat.ts';
import { expireDeadlines } from '../../../actors/coordinator/sessionExpiry.ts';
import { syncGroup } from '../../../actors/coordinator/syncGroup.ts';
import { joinGroup } from '../../../actors/coordinator/joinGroup.ts';
import { completeRebalance, config, counter, join, joinAnswer, joinNew, joinRequest, rebalanceTimeoutMs, responseOf, stableGroup, stored } from './coordinatorFixtures.ts';

const afterDelay = config.groupInitialRebalanceDelayMs;

describe('joinGroup: new members', () => {
  it('gives a new dynamic member MEMBER_ID_REQUIRED and the id clientId-<suffix>, then parks its join with that id', () => {
    const first = join(emptyGroup('g'), { clientId: 'app' }, 0, () => 'abc');
    expect(first.response).toMatchObject({ errorCode: 'MEMBER_ID_REQUIRED', memberId: 'app-abc', generationId: -1 });
    expect(first.state.pendingMembers).toEqual({ 'app-abc': 10_000 });
    expect(first.state.members).toEqual([]);
    const second = join(first.state, { clientId: 'app', memberId: 'app-abc' }, 0);
    expect(second.response).toBeNull();
    expect(second.effects).toEqual([{ type: 'parkJoin', memberId: 'app-abc' }]);
    expect(second.state.state).toBe('PreparingRebalance');
    expect(second.state.pendingMembers).toEqual({});
    expect(memberOf(second.state, 'app-abc')?.awaitingJoin).toBe(true);
  });

  it('answers UNKNOWN_MEMBER_ID to a member id the group never handed out', () => {
    expect(join(emptyGroup('g'), { memberId: 'made-up' }, 0).response?.errorCode).toBe('UNKNOWN_MEMBER_ID');
  });

  it('adds the member at once when the client does not require a known member id (JoinGroup v0-v3)', () => {
    const result = join(emptyGroup('g'), { requireKnownMemberId: false }, 0, () => 'x');
    expect(result.effects).toEqual([{ type: 'parkJoin', memberId: 'c-x' }]);
    expect(result.state.leaderId).toBe('c-x');
  });

  it('refuses a session timeout outside group.min/max.session.timeout.ms', () => {
    const low = join(emptyGroup('g'), { sessionTimeoutMs: config.groupMinSessionTimeoutMs - 1 }, 0);
    const high = join(emptyGroup('g'), { sessionTimeoutMs: config.groupMaxSessionTimeoutMs + 1 }, 0);
    const edge = join(emptyGroup('g'), { sessionTimeoutMs: config.groupMinSessionTimeoutMs }, 0);
    expect(low.response?.errorCode).toBe('INVALID_SESSION_TIMEOUT');
    expect(high.response?.errorCode).toBe('INVALID_SESSION_TIMEOUT');
    expect(edge.response?.errorCode).toBe('MEMBER_ID_REQUIRED');
  });

  it('refuses INCONSISTENT_GROUP_PROTOCOL for another protocol type or no protocol in common', () => {
    const { group } = stableGroup(['a']);
    const otherType = join(group, { protocolType: 'connect' }, 4_000);
    const otherAssignor = join(group, { protocols: [{ name: 'roundrobin', metadata: { topics: ['t'] } }] }, 4_000);
    expect(otherType.response?.errorCode).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(otherAssignor.response?.errorCode).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(otherAssignor.state).toBe(group);
  });

  it('answers COORDINATOR_NOT_AVAILABLE when the group is Dead', () => {
    const dead = { ...emptyGroup('g'), state: 'Dead' as const };
    expect(join(dead, {}, 0).response?.errorCode).toBe('COORDINATOR_NOT_AVAILABLE');
  });
});

describe('joinGroup: the join phase', () => {
  it('makes the first member added the leader, and only the leader sees every subscription', () => {
    const ids = counter();
    const a = joinNew(emptyGroup('g'), 'a', 0, ids);
    const b = joinNew(a.result.state, 'b', 10, ids);
    const done = completeRebalance(b.result.state);
    expect(done.state.leaderId).toBe(a.memberId);
    const leader = joinAnswer(done.effects, a.memberId);
    const follower = joinAnswer(done.effects, b.memberId);
    expect(leader?.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    expect(leader?.members[1]?.metadata).toEqual({ topics: ['t'] });
    expect(follower?.members).toEqual([]);
    expect(follower).toMatchObject({ errorCode: 'NONE', leaderId: a.memberId, generationId: 1, protocolName: 'range' });
    expect(done.state.state).toBe('CompletingRebalance');
  });

  it('waits group.initial.rebalance.delay.ms for an Empty group and never completes early', () => {
    const a = joinNew(emptyGroup('g'), 'a', 0, counter());
    expect(a.result.state.rebalanceDeadlineMs).toBe(afterDelay);
    expect(expireDeadlines(a.result.state, { nowMs: afterDelay - 1, config }).state.state).toBe('PreparingRebalance');
    expect(expireDeadlines(a.result.state, { nowMs: afterDelay, config }).state.state).toBe('CompletingRebalance');
  });

  it('extends the initial delay while members keep arriving, up to the rebalance timeout', () => {
    const ids = counter();
    let group = joinNew(emptyGroup('g'), 'a', 0, ids).result.state;
    // A member every 2 s, and each timer fired at its deadline: every delay sees a newcomer and waits again.
    let nowMs = 0;
    for (let i = 0; group.state === 'PreparingRebalance'; i++) {
      const deadlineMs = group.rebalanceDeadlineMs ?? Number.NaN;
      const joinAtMs = nowMs + 2_000;
      if (deadlineMs <= joinAtMs) {
        nowMs = deadlineMs;
        group = expireDeadlines(group, { nowMs, config }).state;
      } else {
        nowMs = joinAtMs;
        group = joinNew(group, `m${i}`, nowMs, ids).result.state;
      }
    }
    expect(group.state).toBe('CompletingRebalance');
    expect(nowMs).toBe(rebalanceTimeoutMs);
  });

  it('does not extend the initial delay when nobody else arrives', () => {
    const a = joinNew(emptyGroup('g'), 'a', 0, counter());
    expect(completeRebalance(a.result.state).nowMs).toBe(afterDelay);
  });

  it('increments the generation on every completed join, also when the group ends Empty', () => {
    const { group, memberIds } = stableGroup(['a']);
    expect(group.generationId).toBe(1);
    const rejoin = join(group, { clientId: 'a', memberId: memberIds[0] }, 5_000);
    expect(rejoin.response?.generationId).toBe(2);
    // The member never syncs: its session expires, the rebalance finds nobody and the generation still moves on.
    const empty = expireDeadlines(rejoin.state, { nowMs: 5_000 + 10_000, config });
    expect(empty.state).toMatchObject({ state: 'Empty', generationId: 3, leaderId: null, protocolName: null });
    expect(empty.effects).toContainEqual({ type: 'append', records: [expect.objectContaining({ generationId: 3, members: [] })] });
  });

  it("completes at once when the leader's JoinGroup in Stable is the only one awaited, with the next generation", () => {
    const { group, memberIds } = stableGroup(['a']);
    const rejoin = join(group, { clientId: 'a', memberId: memberIds[0] }, 5_000);
    expect(rejoin.response).toMatchObject({ errorCode: 'NONE', generationId: 2, leaderId: memberIds[0] });
    expect(rejoin.state.state).toBe('CompletingRebalance');
  });

  it('forces a rebalance when the leader rejoins Stable, but gives a follower with unchanged metadata the current generation', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const [leaderId, followerId] = memberIds as [string, string];
    const follower = join(group, { clientId: 'b', memberId: followerId }, 5_000);
    expect(follower.response).toMatchObject({ errorCode: 'NONE', generationId: 1, leaderId, members: [] });
    expect(follower.state.state).toBe('Stable');
    const leader = join(group, { clientId: 'a', memberId: leaderId }, 5_000);
    expect(leader.response).toBeNull();
    expect(leader.state.state).toBe('PreparingRebalance');
    expect(heartbeat(leader.state, { memberId: followerId, generationId: 1 }, 5_001).response?.errorCode).toBe('REBALANCE_IN_PROGRESS');
  });

  it('starts a rebalance when a follower rejoins Stable with changed metadata', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const changed = join(group, { clientId: 'b', memberId: memberIds[1], protocols: [{ name: 'range', metadata: { topics: ['t', 'u'] } }] }, 5_000);
    expect(changed.response).toBeNull();
    expect(changed.state.state).toBe('PreparingRebalance');
  });

  it('elects a member that rejoined when the leader misses the rejoin, and removes the absent dynamic leader', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const [leaderId, followerId] = memberIds as [string, string];
    let rejoin = join(group, { clientId: 'b', memberId: followerId, protocols: [{ name: 'range', metadata: { topics: ['t', 'u'] } }] }, 7_000).state;
    // The leader stays alive (heartbeats) but never rejoins.
    for (const nowMs of [16_000, 25_000, 34_000]) rejoin = heartbeat(rejoin, { memberId: leaderId, generationId: 1 }, nowMs).state;
    const done = expireDeadlines(rejoin, { nowMs: 7_000 + rebalanceTimeoutMs, config });
    expect(done.state.leaderId).toBe(followerId);
    expect(memberOf(done.state, leaderId)).toBeUndefined();
    expect(joinAnswer(done.effects, followerId)?.members.map((m) => m.memberId)).toEqual([followerId]);
  });

  it('chooses the protocol by vote among those every member supports', () => {
    const ids = counter();
    const both = [
      { name: 'roundrobin', metadata: { topics: ['t'] } },
      { name: 'range', metadata: { topics: ['t'] } },
    ];
    let group = join(emptyGroup('g'), { requireKnownMemberId: false, protocols: both }, 0, ids).state;
    group = join(group, { requireKnownMemberId: false, protocols: both }, 0, ids).state;
    group = join(group, { requireKnownMemberId: false, protocols: [...both].reverse() }, 0, ids).state;
    expect(completeRebalance(group).state.protocolName).toBe('roundrobin');
  });

  it('gives a follower that rejoins CompletingRebalance unchanged the same generation again', () => {
    const ids = counter();
    const a = joinNew(emptyGroup('g'), 'a', 0, ids);
    const b = joinNew(a.result.state, 'b', 0, ids);
    const completing = completeRebalance(b.result.state).state;
    const again = join(completing, { clientId: 'b', memberId: b.memberId }, 7_000);
    expect(responseOf(again)).toMatchObject({ errorCode: 'NONE', generationId: 1, members: [] });
    expect(again.state.state).toBe('CompletingRebalance');
  });
});

describe('joinGroup: static members (KIP-345)', () => {
  const staticJoin = (instance: string) => ({ clientId: 'c', groupInstanceId: instance, sessionTimeoutMs: 60_000 });

  function stableStatic() {
    const ids = counter();
    let group = join(emptyGroup('g'), staticJoin('i1'), 0, ids).state;
    group = join(group, staticJoin('i2'), 0, ids).state;
    group = completeRebalance(group).state;
    const assignments = { 'i1-1': [['t', 0], ['t', 1]], 'i2-2': [['t', 2], ['t', 3]] } as Record<string, [string, number][]>;
    return stored(syncGroup(group, { memberId: 'i1-1', generationId: 1, assignments }, afterDelay), afterDelay).state;
  }

  it('joins without MEMBER_ID_REQUIRED, with the id groupInstanceId-<suffix>', () => {
    const result = join(emptyGroup('g'), staticJoin('i1'), 0, () => 'u');
    expect(result.effects).toEqual([{ type: 'parkJoin', memberId: 'i1-u' }]);
    expect(result.state.staticMembers).toEqual({ i1: 'i1-u' });
  });

  it('a restarted static member gets a new id and keeps its assignment without a rebalance; the old id is fenced', () => {
    const group = stableStatic();
    const rejoin = join(group, staticJoin('i2'), 10_000, () => 'new');
    expect(rejoin.response).toMatchObject({ errorCode: 'NONE', memberId: 'i2-new', generationId: 1, leaderId: 'i1-1' });
    expect(rejoin.state.state).toBe('Stable');
    expect(rejoin.state.staticMembers.i2).toBe('i2-new');
    expect(memberOf(rejoin.state, 'i2-new')?.assignment).toEqual([['t', 2], ['t', 3]]);
    expect(rejoin.effects).toContainEqual({ type: 'append', records: [expect.objectContaining({ type: 'GroupMetadata' })] });
    const sync = syncGroup(rejoin.state, { memberId: 'i2-new', groupInstanceId: 'i2', generationId: 1, assignments: {} }, 10_001);
    expect(sync.response?.assignment).toEqual([['t', 2], ['t', 3]]);
    const zombie = heartbeat(rejoin.state, { memberId: 'i2-2', groupInstanceId: 'i2', generationId: 1 }, 10_001);
    expect(zombie.response?.errorCode).toBe('FENCED_INSTANCE_ID');
    expect(join(rejoin.state, { ...staticJoin('i2'), memberId: 'i2-2' }, 10_001).response?.errorCode).toBe('FENCED_INSTANCE_ID');
  });

  it('a static member joining again during a rebalance gets a new id, and the old one is fenced', () => {
    const ids = counter();
    const preparing = join(emptyGroup('g'), staticJoin('i1'), 0, ids).state;
    const second = join(preparing, staticJoin('i1'), 1, ids);
    expect(second.state.staticMembers.i1).toBe('i1-2');
    expect(join(second.state, { ...staticJoin('i1'), memberId: 'i1-1' }, 2).response?.errorCode).toBe('FENCED_INSTANCE_ID');
  });

  it('keeps the old id for a static member joining during a rebalance under static-member-id-not-replaced (bug C3)', () => {
    const ids = counter();
    const preparing = join(emptyGroup('g'), staticJoin('i1'), 0, ids).state;
    const options = { nowMs: 1, config, newMemberIdSuffix: ids, staticMemberIdNotReplaced: true };
    const second = joinGroup(preparing, joinRequest(staticJoin('i1')), options);
    expect(second.state.staticMembers.i1).toBe('i1-1');
    expect(second.effects).toContainEqual({ type: 'parkJoin', memberId: 'i1-1' });
  });

  it('a rejoining static leader that supports skipping assignment learns it leads but must not assign (KIP-814)', () => {
    const rejoin = join(stableStatic(), { ...staticJoin('i1'), supportSkippingAssignment: true }, 10_000, () => 'new');
    expect(rejoin.response).toMatchObject({ leaderId: 'i1-new', skipAssignment: true });
    expect(rejoin.response?.members).toHaveLength(2);
  });

  it('answers the old id FENCED_INSTANCE_ID when its JoinGroup was parked, and parks the new one', () => {
    const ids = counter();
    const group = join(emptyGroup('g'), staticJoin('i1'), 0, ids).state;
    const replaced = join(group, staticJoin('i1'), 10, () => 'b');
    expect(replaced.effects[0]).toEqual({ type: 'parkJoin', memberId: 'i1-b' });
    expect(joinAnswer(replaced.effects, 'i1-1')?.errorCode).toBe('FENCED_INSTANCE_ID');
    expect(replaced.state.members.map((m) => m.memberId)).toEqual(['i1-b']);
    expect(replaced.state.leaderId).toBe('i1-b');
  });

  it('keeps a static member that misses the rejoin, without an answer', () => {
    const group = stableStatic();
    const rejoin = join(group, { ...staticJoin('i1'), memberId: 'i1-1' }, 10_000);
    const done = expireDeadlines(rejoin.state, { nowMs: 10_000 + rebalanceTimeoutMs, config });
    expect(done.state.members.map((m) => m.memberId)).toEqual(['i1-1', 'i2-2']);
    expect(joinAnswer(done.effects, 'i2-2')).toBeUndefined();
    expect(done.state.generationId).toBe(2);
  });
});
