import { describe, expect, it } from 'vitest';
import type { TopicPartition } from '../../../actors/assignors/TopicPartition.ts';
import type { JoinGroupRequest } from '../../../src/protocol/groupMessages.ts';
import { consumerDefaults } from '../../../actors/consumer/consumerDefaults.ts';
import { startJoin, type Membership } from '../../../actors/consumer/membership.ts';
import { onHeartbeatResponse, onJoinGroupResponse, onSyncGroupResponse } from '../../../actors/consumer/membershipResponses.ts';
import { assignmentChange, leaderAssignment, rebalanceProtocolFor } from '../../../actors/consumer/rebalanceProtocol.ts';
import { cooperativeConfig, eagerConfig, freshMember, joinOk, joinRequestOf, keys, stableMember, syncOk, syncRequestOf } from './consumerFixtures.ts';

describe('rebalanceProtocolFor', () => {
  it('stays EAGER with the 3.0+ default [range, cooperative-sticky], and is COOPERATIVE once range is dropped', () => {
    expect(rebalanceProtocolFor(consumerDefaults.partitionAssignmentStrategy)).toBe('EAGER');
    expect(rebalanceProtocolFor(['cooperative-sticky'])).toBe('COOPERATIVE');
  });
});

describe('assignmentChange', () => {
  it('splits an assignment into revoked, added and kept partitions', () => {
    const change = assignmentChange([['t', 0], ['t', 1]], [['t', 1], ['t', 2]]);
    expect(change).toEqual({ revoked: [['t', 0]], added: [['t', 2]], kept: [['t', 1]] });
  });
});

describe('eager rebalancing', () => {
  it('revokes every partition before sending JoinGroup, and joins owning nothing', () => {
    const result = startJoin(stableMember([['t', 0], ['t', 1]]), eagerConfig);
    expect(result.effects.map((e) => e.type)).toEqual(['revokePartitions', 'joinGroup']);
    expect(result.effects[0]).toEqual({ type: 'revokePartitions', partitions: [['t', 0], ['t', 1]] });
    expect(joinRequestOf(result).protocols[0]?.metadata).toMatchObject({ ownedPartitions: [] });
    expect(result.state.ownedPartitions).toEqual([]);
  });
});

// A group of cooperative members driven through rounds: the leader (the first member) assigns with the real
// cooperative-sticky assignor; every member handles its JoinGroup and SyncGroup answers.
interface Node {
  m: Membership;
  join: JoinGroupRequest;
}

function joinAll(members: Membership[]): Node[] {
  return members.map((m) => {
    const result = startJoin(m, cooperativeConfig);
    return { m: result.state, join: joinRequestOf(result) };
  });
}

function round(nodes: Node[], generationId: number): { members: Membership[]; rejoined: Node[] } {
  const leaderId = nodes[0]?.m.memberId ?? '';
  const subscriptions = nodes.map((n) => ({ memberId: n.m.memberId, metadata: n.join.protocols[0]?.metadata ?? { topics: [] } }));
  const context = { config: cooperativeConfig, partitionsPerTopic: { t: 6 } };
  const joined = nodes.map((n) => {
    const members = n.m.memberId === leaderId ? subscriptions : [];
    const answer = joinOk({ memberId: n.m.memberId, leaderId, generationId, protocolName: 'cooperative-sticky', members });
    return onJoinGroupResponse(n.m, answer, context);
  });
  const assignments = syncRequestOf(joined[0] ?? { state: freshMember(), effects: [] }).assignments;
  const members: Membership[] = [];
  const rejoined: Node[] = [];
  for (const j of joined) {
    const synced = onSyncGroupResponse(j.state, syncOk([...(assignments[j.state.memberId] ?? [])], 'cooperative-sticky'), cooperativeConfig);
    members.push(synced.state);
    if (synced.effects.some((e) => e.type === 'joinGroup')) rejoined.push({ m: synced.state, join: joinRequestOf(synced) });
  }
  return { members, rejoined };
}

function expectSingleOwners(members: readonly Membership[]): string[] {
  const owned = members.flatMap((m) => keys(m.ownedPartitions));
  expect(new Set(owned).size).toBe(owned.length);
  return owned.sort();
}

describe('cooperative rebalancing (KIP-429)', () => {
  it('keeps owned partitions through a join, sending them with their generation', () => {
    const result = startJoin(stableMember([['t', 0], ['t', 1]]), cooperativeConfig);
    expect(result.effects.map((e) => e.type)).toEqual(['joinGroup']);
    expect(joinRequestOf(result).protocols[0]?.metadata).toEqual({ topics: ['t'], ownedPartitions: [['t', 0], ['t', 1]], generation: 3 });
  });

  it('2 -> 3 members: moving partitions have no owner for one generation, then go to the newcomer', () => {
    const first = round(joinAll([{ ...freshMember('c1'), memberId: 'c1' }, { ...freshMember('c2'), memberId: 'c2' }]), 1);
    expect(first.rejoined).toEqual([]);
    expect(expectSingleOwners(first.members)).toHaveLength(6);

    // c3 joins; c1 and c2 hear of the rebalance from a heartbeat and rejoin keeping their partitions.
    const rejoining = first.members.map((m) => onHeartbeatResponse(m, { errorCode: 'REBALANCE_IN_PROGRESS' }, m).state);
    const second = round(joinAll([...rejoining, { ...freshMember('c3'), memberId: 'c3' }]), 2);
    const [c1, c2, c3] = second.members as [Membership, Membership, Membership];
    expect(c3.ownedPartitions).toEqual([]);
    expect(expectSingleOwners(second.members)).toHaveLength(4);
    // The members that gave something up rejoined at once, still owning (and announcing) what they kept.
    expect(second.rejoined.map((n) => n.m.memberId).sort()).toEqual(['c1', 'c2']);
    for (const n of second.rejoined) {
      expect(n.join.protocols[0]?.metadata).toMatchObject({ ownedPartitions: n.m.ownedPartitions, generation: 2 });
    }

    const c3Rejoining = onHeartbeatResponse(c3, { errorCode: 'REBALANCE_IN_PROGRESS' }, c3).state;
    const third = round([...second.rejoined, ...joinAll([c3Rejoining])], 3);
    expect(third.rejoined).toEqual([]);
    expect(expectSingleOwners(third.members)).toHaveLength(6);
    expect(third.members.map((m) => m.ownedPartitions.length)).toEqual([2, 2, 2]);
    // Nothing moved between two members who both kept consuming: c1 and c2 only ever lost partitions.
    expect(keys(third.members[0]?.ownedPartitions ?? []).every((k) => keys(c1.ownedPartitions).includes(k))).toBe(true);
    expect(keys(third.members[1]?.ownedPartitions ?? []).every((k) => keys(c2.ownedPartitions).includes(k))).toBe(true);
  });
});

describe('leaderAssignment', () => {
  it('assigns every partition once from the members the leader was told about', () => {
    const members = [
      { memberId: 'b', metadata: { topics: ['t'] } },
      { memberId: 'a', metadata: { topics: ['t'] } },
    ];
    const assignment = leaderAssignment({ protocolName: 'range', members, partitionsPerTopic: { t: 3 } });
    expect(assignment).toEqual({ a: [['t', 0], ['t', 1]], b: [['t', 2]] } satisfies Record<string, TopicPartition[]>);
  });

  it('refuses a protocol no assignor implements', () => {
    expect(() => leaderAssignment({ protocolName: 'mystery', members: [], partitionsPerTopic: {} })).toThrow(/mystery/);
  });
});
