import { describe, expect, it } from 'vitest';
import { emptyGroup, memberOf } from '../../../actors/coordinator/GroupMetadata.ts';
import { heartbeat } from '../../../actors/coordinator/heartbeat.ts';
import { completeRebalance, counter, join, joinNew, stableGroup } from './coordinatorFixtures.ts';

describe('heartbeat', () => {
  it('checks in order: Dead, unknown member, generation, then state', () => {
    const { group, memberIds } = stableGroup(['a']);
    const memberId = memberIds[0] ?? '';
    const dead = { ...group, state: 'Dead' as const };
    // A Dead group wins over an unknown member; an unknown member wins over a wrong generation.
    expect(heartbeat(dead, { memberId: 'ghost', generationId: 99 }, 7_000).response?.errorCode).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(heartbeat(group, { memberId: 'ghost', generationId: 99 }, 7_000).response?.errorCode).toBe('UNKNOWN_MEMBER_ID');
    expect(heartbeat(group, { memberId, generationId: 99 }, 7_000).response?.errorCode).toBe('ILLEGAL_GENERATION');
    expect(heartbeat(group, { memberId, generationId: 1 }, 7_000).response?.errorCode).toBe('NONE');
  });

  it('answers REBALANCE_IN_PROGRESS during PreparingRebalance and still renews the session', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const preparing = join(group, { clientId: 'a', memberId: memberIds[0] }, 7_000).state;
    const beat = heartbeat(preparing, { memberId: memberIds[1] ?? '', generationId: 1 }, 8_000);
    expect(beat.response?.errorCode).toBe('REBALANCE_IN_PROGRESS');
    expect(memberOf(beat.state, memberIds[1] ?? '')?.lastHeartbeatMs).toBe(8_000);
  });

  it('answers NONE in CompletingRebalance and renews the session', () => {
    const a = joinNew(emptyGroup('g'), 'a', 0, counter());
    const completing = completeRebalance(a.result.state).state;
    const beat = heartbeat(completing, { memberId: a.memberId, generationId: 1 }, 4_000);
    expect(beat.response?.errorCode).toBe('NONE');
    expect(memberOf(beat.state, a.memberId)?.lastHeartbeatMs).toBe(4_000);
  });

  it('answers UNKNOWN_MEMBER_ID in an Empty group', () => {
    expect(heartbeat(emptyGroup('g'), { memberId: 'm', generationId: 0 }, 0).response?.errorCode).toBe('UNKNOWN_MEMBER_ID');
  });
});
