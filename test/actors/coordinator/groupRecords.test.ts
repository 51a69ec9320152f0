import { describe, expect, it } from 'vitest';
import type { CoordinatorEffect } from '../../../actors/coordinator/CoordinatorResult.ts';
import type { GroupMetadata } from '../../../actors/coordinator/GroupMetadata.ts';
import { emptyGroup } from '../../../actors/coordinator/GroupMetadata.ts';
import { heartbeat } from '../../../actors/coordinator/heartbeat.ts';
import { applyOffsetCommits, commitOffsets } from '../../../actors/coordinator/offsetCommit.ts';
import { currentGroupMetadataRecord, replayGroupRecords } from '../../../actors/coordinator/groupRecords.ts';
import type { GroupRecord } from '../../../actors/coordinator/groupRecords.ts';
import { assignPartitions } from '../../../actors/assignors/assignPartitions.ts';
import { syncGroup } from '../../../actors/coordinator/syncGroup.ts';
import { completeRebalance, counter, join, joinAnswer, joinNew, stored } from './coordinatorFixtures.ts';

const appended = (effects: readonly CoordinatorEffect[]): GroupRecord[] =>
  effects.flatMap((effect) => (effect.type === 'append' ? effect.records : []));

// What the log holds of a group: everything but the soft state (sessions, parked requests, timers). The state
// timestamp is left out too: the leader's record is written just before the group turns Stable, as in Kafka.
function durable(group: GroupMetadata) {
  const { currentStateTimestampMs: _, ...record } = currentGroupMetadataRecord(group);
  return { ...record, state: group.state, offsets: group.offsets, staticMembers: group.staticMembers };
}

describe('replayGroupRecords', () => {
  it('rebuilds the same group and offsets from the records the coordinator wrote', () => {
    const ids = counter();
    const log: GroupRecord[] = [];
    const a = joinNew(emptyGroup('g'), 'a', 0, ids);
    const b = joinNew(a.result.state, 'b', 0, ids);
    const s = join(b.result.state, { clientId: 's', groupInstanceId: 'i1' }, 0, ids);
    const completed = completeRebalance(s.state);
    const leader = joinAnswer(completed.effects, a.memberId);
    const members = (leader?.members ?? []).map((m) => ({ memberId: m.memberId, topics: [...m.metadata.topics] }));
    const assignments = assignPartitions('range', { members, partitionsPerTopic: { t: 5 } });
    const synced = stored(syncGroup(completed.state, { memberId: a.memberId, generationId: 1, assignments }, 7_000), 7_000);
    log.push(...appended(synced.effects));
    const commit = commitOffsets(synced.state, { memberId: b.memberId, generationId: 1, offsets: [{ topic: 't', partition: 2, offset: 7, metadata: 'm' }] }, { nowMs: 8_000 });
    log.push(...appended(commit.effects));
    // The live group takes the offsets once their records commit.
    const live = applyOffsetCommits(commit.state, appended(commit.effects).filter((r) => r.type === 'OffsetCommit'));

    const loaded = replayGroupRecords(log, 20_000).g as GroupMetadata;
    expect(durable(loaded)).toEqual(durable(live));
    expect(loaded.leaderId).toBe(a.memberId);
    expect(loaded.members.every((m) => m.lastHeartbeatMs === 20_000)).toBe(true);
    expect(heartbeat(loaded, { memberId: b.memberId, generationId: 1 }, 20_001).response?.errorCode).toBe('NONE');
  });

  it('loads a group whose last record is Empty as Empty with its generation, and keeps the latest offset per partition', () => {
    const records: GroupRecord[] = [
      { type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 0, offset: 5, metadata: '', commitTimestampMs: 1 },
      currentGroupMetadataRecord({ ...emptyGroup('g'), generationId: 4 }),
      { type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 0, offset: 9, metadata: '', commitTimestampMs: 2 },
      { type: 'OffsetCommit', groupId: 'solo', topic: 'u', partition: 1, offset: 3, metadata: '', commitTimestampMs: 3 },
    ];
    const groups = replayGroupRecords(records, 0);
    expect(groups.g).toMatchObject({ state: 'Empty', generationId: 4, offsets: { t: { 0: { offset: 9 } } } });
    expect(groups.solo).toMatchObject({ state: 'Empty', generationId: 0, offsets: { u: { 1: { offset: 3 } } } });
  });
});
