import { describe, expect, it } from 'vitest';
import { heartbeatRequest, isRejoinNeeded, startJoin } from '../../../actors/consumer/membership.ts';
import { onGroupError, onHeartbeatResponse, onJoinGroupResponse, onSyncGroupResponse } from '../../../actors/consumer/membershipResponses.ts';
import { closeMembership, isPollTimeoutExpired, onPollTimeout, recordPoll } from '../../../actors/consumer/leaveGroup.ts';
import { configWith, eagerConfig, freshMember, joinErr, joinOk, joinRequestOf, only, stableMember, syncOk } from './consumerFixtures.ts';

const context = { config: eagerConfig, partitionsPerTopic: { t: 4 } };

describe('membership: joining', () => {
  it('rejoins at once with the member id that MEMBER_ID_REQUIRED gave it (KIP-394)', () => {
    const first = startJoin(freshMember(), eagerConfig);
    expect(joinRequestOf(first).memberId).toBe('');
    const again = onJoinGroupResponse(first.state, joinErr('MEMBER_ID_REQUIRED', 'c1-abc'), context);
    expect(joinRequestOf(again)).toMatchObject({ memberId: 'c1-abc', rebalanceTimeoutMs: 300_000, sessionTimeoutMs: 45_000 });
    expect(again.state).toMatchObject({ state: 'PREPARING_REBALANCE', memberId: 'c1-abc', generationId: -1 });
  });

  it('takes the generation from a JoinGroup answer and syncs; only the leader sends assignments', () => {
    const joining = startJoin({ ...freshMember(), memberId: 'c2-1' }, eagerConfig).state;
    const follower = onJoinGroupResponse(joining, joinOk({ memberId: 'c2-1', leaderId: 'c1-1', generationId: 4 }), context);
    expect(follower.state).toMatchObject({ state: 'COMPLETING_REBALANCE', generationId: 4, isLeader: false });
    expect(only(follower, 'syncGroup').request).toMatchObject({ memberId: 'c2-1', generationId: 4, assignments: {} });
  });

  it('resets its member id and rejoins at once on JoinGroup UNKNOWN_MEMBER_ID; FENCED_INSTANCE_ID is fatal', () => {
    const joining = startJoin(stableMember([]), eagerConfig).state;
    const reset = onJoinGroupResponse(joining, joinErr('UNKNOWN_MEMBER_ID', 'c1-1'), context);
    expect(joinRequestOf(reset).memberId).toBe('');
    const fenced = onJoinGroupResponse(joining, joinErr('FENCED_INSTANCE_ID', 'c1-1'), context);
    expect(fenced.effects).toEqual([{ type: 'fatal', errorCode: 'FENCED_INSTANCE_ID' }]);
    expect(isRejoinNeeded(fenced.state)).toBe(false);
  });

  it('looks the coordinator up again on NOT_COORDINATOR and rejoins once it is known', () => {
    const joining = startJoin(stableMember([]), eagerConfig).state;
    const lost = onJoinGroupResponse(joining, joinErr('NOT_COORDINATOR', 'c1-1'), context);
    expect(lost.effects).toEqual([{ type: 'findCoordinator' }]);
    expect(isRejoinNeeded(lost.state)).toBe(true);
  });

  it('rejoins at once, without losing its partitions, when SyncGroup answers REBALANCE_IN_PROGRESS', () => {
    const syncing = stableMember([['t', 0]], { state: 'COMPLETING_REBALANCE' });
    const result = onSyncGroupResponse(syncing, { ...syncOk([]), errorCode: 'REBALANCE_IN_PROGRESS' }, configWith({ partitionAssignmentStrategy: ['cooperative-sticky'] }));
    expect(joinRequestOf(result)).toMatchObject({ memberId: 'c1-1' });
    expect(result.effects.some((e) => e.type === 'losePartitions')).toBe(false);
  });
});

describe('membership: heartbeats', () => {
  it('requests a rejoin when a heartbeat answers REBALANCE_IN_PROGRESS, keeping its generation', () => {
    const member = stableMember([['t', 0]]);
    const sent = heartbeatRequest(member, eagerConfig);
    expect(sent).toEqual({ type: 'heartbeat', request: { memberId: 'c1-1', generationId: 3 } });
    const result = onHeartbeatResponse(member, { errorCode: 'REBALANCE_IN_PROGRESS' }, { memberId: 'c1-1', generationId: 3 });
    expect(isRejoinNeeded(result.state)).toBe(true);
    expect(result.state.generationId).toBe(3);
    expect(joinRequestOf(startJoin(result.state, eagerConfig)).memberId).toBe('c1-1');
  });

  it('resets the generation on heartbeat ILLEGAL_GENERATION and reports its partitions lost when it rejoins', () => {
    const member = stableMember([['t', 0], ['t', 1]]);
    const result = onHeartbeatResponse(member, { errorCode: 'ILLEGAL_GENERATION' }, { memberId: 'c1-1', generationId: 3 });
    expect(result.state).toMatchObject({ state: 'UNJOINED', memberId: 'c1-1', generationId: -1 });
    const rejoin = startJoin(result.state, eagerConfig);
    expect(rejoin.effects[0]).toEqual({ type: 'losePartitions', partitions: [['t', 0], ['t', 1]] });
  });

  it('ignores a heartbeat error for a generation it has already left', () => {
    const member = stableMember([['t', 0]], { generationId: 5 });
    expect(onGroupError(member, 'ILLEGAL_GENERATION', { memberId: 'c1-1', generationId: 4 }, 'Heartbeat').state).toBe(member);
  });

  it('sends no heartbeat before its JoinGroup is answered', () => {
    expect(heartbeatRequest(startJoin(freshMember(), eagerConfig).state, eagerConfig)).toBeNull();
  });
});

describe('membership: leaving', () => {
  it('leaves the group when processing stalls past max.poll.interval.ms, and rejoins as a new member (KIP-62)', () => {
    const config = configWith({ maxPollIntervalMs: 10_000, partitionAssignmentStrategy: ['range'] });
    const member = recordPoll(stableMember([['t', 0]]), 1_000);
    expect(isPollTimeoutExpired(member, 10_999, config)).toBe(false);
    expect(isPollTimeoutExpired(member, 11_000, config)).toBe(true);
    const left = onPollTimeout(member, config);
    expect(left.effects).toEqual([{ type: 'leaveGroup', request: { members: [{ memberId: 'c1-1' }] } }]);
    expect(left.state).toMatchObject({ state: 'UNJOINED', memberId: '', generationId: -1, rejoinNeeded: true });
    const rejoin = startJoin(left.state, config);
    expect(rejoin.effects.map((e) => e.type)).toEqual(['losePartitions', 'joinGroup']);
    expect(joinRequestOf(rejoin).memberId).toBe('');
  });

  it('sends LeaveGroup on close after revoking its partitions', () => {
    const closed = closeMembership(stableMember([['t', 0]]), eagerConfig);
    expect(closed.effects).toEqual([
      { type: 'revokePartitions', partitions: [['t', 0]] },
      { type: 'leaveGroup', request: { members: [{ memberId: 'c1-1' }] } },
    ]);
  });

  it('does not leave the group on close as a static member (KIP-345)', () => {
    const config = configWith({ groupInstanceId: 'instance-1', partitionAssignmentStrategy: ['range'] });
    const closed = closeMembership(stableMember([['t', 0]]), config);
    expect(closed.effects).toEqual([{ type: 'revokePartitions', partitions: [['t', 0]] }]);
    expect(onPollTimeout(stableMember([['t', 0]]), config).effects).toEqual([]);
  });
});
