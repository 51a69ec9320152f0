import { describe, expect, it } from 'vitest';
import { emptyGroup } from '../../../actors/coordinator/GroupMetadata.ts';
import { applyOffsetCommits, commitOffsets } from '../../../actors/coordinator/offsetCommit.ts';
import { fetchOffsets } from '../../../actors/coordinator/offsetFetch.ts';
import { expireDeadlines } from '../../../actors/coordinator/sessionExpiry.ts';
import { completeRebalance, config, counter, join, joinNew, stableGroup } from './coordinatorFixtures.ts';

const offsets = [{ topic: 't', partition: 0, offset: 42 }];
const errorsOf = (result: ReturnType<typeof commitOffsets>) => result.response?.partitions.map((p) => p.errorCode);

describe('commitOffsets', () => {
  it('stores a member commit in Stable as an OffsetCommit record, which fetch returns once the record has committed', () => {
    const { group, memberIds } = stableGroup(['a']);
    const commit = commitOffsets(group, { memberId: memberIds[0] ?? '', generationId: 1, offsets }, { nowMs: 8_000 });
    expect(errorsOf(commit)).toEqual(['NONE']);
    const records = [{ type: 'OffsetCommit' as const, groupId: 'g', topic: 't', partition: 0, offset: 42, metadata: '', commitTimestampMs: 8_000 }];
    expect(commit.effects).toEqual([{ type: 'append', records }]);
    // Pending until its append commits (GroupMetadata#prepareOffsetCommit): OffsetFetch does not see it yet.
    expect(fetchOffsets(commit.state, { partitions: [{ topic: 't', partition: 0 }] }).partitions[0]?.offset).toBe(-1);
    expect(fetchOffsets(applyOffsetCommits(commit.state, records), { partitions: [{ topic: 't', partition: 0 }] }).partitions[0]?.offset).toBe(42);
  });

  it('rejects a commit from a stale generation with ILLEGAL_GENERATION (a zombie after a rebalance)', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const [leaderId, followerId] = memberIds as [string, string];
    const rebalanced = join(group, { clientId: 'a', memberId: leaderId }, 7_000).state;
    const bRejoined = join(rebalanced, { clientId: 'b', memberId: followerId }, 7_001).state;
    expect(bRejoined.generationId).toBe(2);
    const zombie = commitOffsets(bRejoined, { memberId: followerId, generationId: 1, offsets }, { nowMs: 7_002 });
    expect(errorsOf(zombie)).toEqual(['ILLEGAL_GENERATION']);
    expect(zombie.state.offsets).toEqual({});
  });

  it('rejects a commit from a removed member with UNKNOWN_MEMBER_ID; noGenerationFencing (C1) stores it', () => {
    const { group, memberIds, nowMs } = stableGroup(['a', 'b']);
    const expired = expireDeadlines(group, { nowMs: nowMs + 10_000, config }).state;
    const zombie = { memberId: memberIds[1] ?? '', generationId: 1, offsets };
    expect(errorsOf(commitOffsets(expired, zombie, { nowMs: nowMs + 10_001 }))).toEqual(['UNKNOWN_MEMBER_ID']);
    const weakened = commitOffsets(expired, zombie, { nowMs: nowMs + 10_001, noGenerationFencing: true });
    expect(errorsOf(weakened)).toEqual(['NONE']);
    expect(weakened.effects).toMatchObject([{ type: 'append', records: [{ offset: 42 }] }]);
  });

  it('accepts commits in PreparingRebalance and rejects them in CompletingRebalance', () => {
    const { group, memberIds } = stableGroup(['a', 'b']);
    const [leaderId, followerId] = memberIds as [string, string];
    const preparing = join(group, { clientId: 'a', memberId: leaderId }, 7_000).state;
    expect(preparing.state).toBe('PreparingRebalance');
    expect(errorsOf(commitOffsets(preparing, { memberId: followerId, generationId: 1, offsets }, { nowMs: 7_001 }))).toEqual(['NONE']);
    const a = joinNew(emptyGroup('g'), 'a', 0, counter());
    const completing = completeRebalance(a.result.state).state;
    const commit = commitOffsets(completing, { memberId: a.memberId, generationId: 1, offsets }, { nowMs: 4_000 });
    expect(errorsOf(commit)).toEqual(['REBALANCE_IN_PROGRESS']);
  });

  it('accepts generation -1 without a member on an Empty group (assign() and admin), not on a group with members', () => {
    const standalone = { memberId: '', generationId: -1, offsets };
    expect(errorsOf(commitOffsets(emptyGroup('g'), standalone, { nowMs: 0 }))).toEqual(['NONE']);
    const { group } = stableGroup(['a']);
    expect(errorsOf(commitOffsets(group, standalone, { nowMs: 7_000 }))).toEqual(['UNKNOWN_MEMBER_ID']);
  });
});

describe('fetchOffsets', () => {
  it('returns -1 when nothing is committed, in every state', () => {
    const { group, memberIds } = stableGroup(['a']);
    const preparing = join(group, { clientId: 'b' }, 7_000, () => 'z').state;
    for (const state of [emptyGroup('g'), group, preparing, { ...group, state: 'Dead' as const }]) {
      expect(fetchOffsets(state, { partitions: [{ topic: 't', partition: 3 }] }).partitions).toEqual([
        { topic: 't', partition: 3, offset: -1, metadata: '' },
      ]);
    }
    const commit = commitOffsets(group, { memberId: memberIds[0] ?? '', generationId: 1, offsets }, { nowMs: 8_000 });
    const committed = applyOffsetCommits(commit.state, commit.effects.flatMap((e) => (e.type === 'append' ? e.records.filter((r) => r.type === 'OffsetCommit') : [])));
    expect(fetchOffsets(committed, {}).partitions).toEqual([{ topic: 't', partition: 0, offset: 42, metadata: '' }]);
  });
});
