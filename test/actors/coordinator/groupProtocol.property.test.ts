import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignPartitions } from '../../../actors/assignors/assignPartitions.ts';
import type { AssignmentStrategy } from '../../../actors/assignors/assignPartitions.ts';
import type { CoordinatorEffect, StoredAssignment } from '../../../actors/coordinator/CoordinatorResult.ts';
import type { JoinGroupResponse } from '../../../src/protocol/groupMessages.ts';
import { emptyGroup } from '../../../actors/coordinator/GroupMetadata.ts';
import type { GroupMetadata } from '../../../actors/coordinator/GroupMetadata.ts';
import { heartbeat } from '../../../actors/coordinator/heartbeat.ts';
import { joinGroup } from '../../../actors/coordinator/joinGroup.ts';
import { leaveGroup } from '../../../actors/coordinator/leaveGroup.ts';
import { expireDeadlines, nextDeadlineMs } from '../../../actors/coordinator/sessionExpiry.ts';
import { assignmentStored, syncGroup } from '../../../actors/coordinator/syncGroup.ts';
import { config, joinRequest, rebalance } from './coordinatorFixtures.ts';

// Random sequences of client requests and passing time against the pure coordinator. Clients behave as real ones
// do: they keep the member id and generation the coordinator gave them, and the leader assigns with an assignor.

type Op =
  | { kind: 'join' | 'sync' | 'heartbeat' | 'leave' | 'restart'; client: number }
  | { kind: 'wait'; ms: number }
  // The oldest assignment being written commits, or its append fails.
  | { kind: 'store'; ok: boolean };

interface Client {
  memberId: string;
  generationId: number;
  lastJoin: JoinGroupResponse | null;
}

const CLIENTS = 4;
// Weighted towards the requests that move a group to Stable, so that Stable is reached often.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('join', 'sync', 'sync', 'heartbeat'), client: fc.nat(CLIENTS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('leave', 'restart'), client: fc.nat(CLIENTS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait'), ms: fc.integer({ min: 1, max: 4_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait'), ms: fc.integer({ min: 4_000, max: 40_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('store'), ok: fc.boolean() }) },
) as fc.Arbitrary<Op>;

class Model {
  group: GroupMetadata = emptyGroup('g');
  nowMs = 0;
  suffix = 0;
  readonly clients: Client[] = Array.from({ length: CLIENTS }, () => ({ memberId: '', generationId: -1, lastJoin: null }));
  /** Assignments written and not yet committed, oldest first. */
  readonly storing: StoredAssignment[] = [];

  constructor(private readonly strategy: AssignmentStrategy) {}

  run(op: Op): void {
    if (op.kind === 'wait') return this.wait(op.ms);
    if (op.kind === 'store') return this.store(op.ok);
    const client = this.clients[op.client] as Client;
    // A restarted process forgets its member id and sends no LeaveGroup (a static member never does).
    if (op.kind === 'restart') return void Object.assign(client, { memberId: '', generationId: -1, lastJoin: null });
    // Client 0 is a static member; the others are dynamic.
    const identity = op.client === 0 ? { groupInstanceId: 'i0' } : {};
    if (op.kind === 'join') {
      const request = joinRequest({ ...identity, clientId: `c${op.client}`, memberId: client.memberId, protocols: [{ name: this.strategy, metadata: { topics: ['t', 'u'] } }] });
      const result = joinGroup(this.group, request, { nowMs: this.nowMs, config, newMemberIdSuffix: () => String(++this.suffix) });
      this.apply(result.state, result.effects);
      if (result.response !== null) this.onJoin(client, result.response);
      else client.memberId = result.effects.find((e) => e.type === 'parkJoin')?.memberId ?? client.memberId;
    } else if (op.kind === 'sync') {
      const assignments = this.assignmentsOf(client);
      const result = syncGroup(this.group, { ...identity, memberId: client.memberId, generationId: client.generationId, assignments }, this.nowMs);
      this.apply(result.state, result.effects);
    } else if (op.kind === 'heartbeat') {
      const result = heartbeat(this.group, { ...identity, memberId: client.memberId, generationId: client.generationId }, this.nowMs);
      this.apply(result.state, result.effects);
    } else {
      const result = leaveGroup(this.group, { members: [{ ...identity, memberId: client.memberId }] }, rebalance(this.nowMs));
      this.apply(result.state, result.effects);
      Object.assign(client, { memberId: '', generationId: -1, lastJoin: null });
    }
  }

  // Timers fire at their own deadlines, one after the other, as the machine's wake-ups would.
  private wait(ms: number): void {
    const targetMs = this.nowMs + ms;
    for (let next = nextDeadlineMs(this.group, config); next !== null && next <= targetMs; next = nextDeadlineMs(this.group, config)) {
      this.nowMs = Math.max(this.nowMs, next);
      const result = expireDeadlines(this.group, { nowMs: this.nowMs, config });
      this.apply(result.state, result.effects);
    }
    this.nowMs = targetMs;
  }

  private store(ok: boolean): void {
    const stored = this.storing.shift();
    if (stored === undefined) return;
    const result = assignmentStored(this.group, stored, ok ? 'NONE' : 'COORDINATOR_NOT_AVAILABLE', rebalance(this.nowMs));
    this.apply(result.state, result.effects);
  }

  private assignmentsOf(client: Client) {
    const join = client.lastJoin;
    if (join === null || join.leaderId !== client.memberId || join.skipAssignment || join.members.length === 0) return {};
    const members = join.members.map((m) => ({ memberId: m.memberId, ...(m.groupInstanceId === undefined ? {} : { groupInstanceId: m.groupInstanceId }), topics: [...m.metadata.topics] }));
    return assignPartitions(this.strategy, { members, partitionsPerTopic: { t: 3, u: 2 } });
  }

  private onJoin(client: Client, response: JoinGroupResponse): void {
    if (response.errorCode === 'NONE') Object.assign(client, { memberId: response.memberId, generationId: response.generationId, lastJoin: response });
    else if (response.errorCode === 'MEMBER_ID_REQUIRED') client.memberId = response.memberId;
    else if (response.errorCode === 'UNKNOWN_MEMBER_ID' || response.errorCode === 'FENCED_INSTANCE_ID') {
      Object.assign(client, { memberId: '', generationId: -1, lastJoin: null });
    }
  }

  private apply(group: GroupMetadata, effects: readonly CoordinatorEffect[]): void {
    expect(group.generationId).toBeGreaterThanOrEqual(this.group.generationId);
    this.group = group;
    for (const effect of effects) {
      if (effect.type === 'append' && effect.stored !== undefined) this.storing.push(effect.stored);
      if (effect.type !== 'answerJoin') continue;
      const client = this.clients.find((c) => c.memberId === effect.memberId);
      if (client !== undefined) this.onJoin(client, effect.response);
    }
    checkInvariants(group);
  }
}

function checkInvariants(group: GroupMetadata): void {
  if (group.members.length > 0) expect(group.members.map((m) => m.memberId)).toContain(group.leaderId);
  if (group.state !== 'Stable') return;
  const owners = new Map<string, string>();
  for (const member of group.members) {
    for (const [topic, partition] of member.assignment) {
      const key = `${topic}-${partition}`;
      expect(owners.get(key), `${key} assigned to ${owners.get(key)} and ${member.memberId}`).toBeUndefined();
      owners.set(key, member.memberId);
    }
  }
}

describe('group coordinator under random requests', () => {
  it('never lowers the generation, and a Stable group never assigns a partition to two members', () => {
    fc.assert(
      fc.property(fc.constantFrom<AssignmentStrategy>('range', 'roundrobin', 'sticky', 'cooperative-sticky'), fc.array(opArb, { minLength: 20, maxLength: 120, size: 'max' }), (strategy, ops) => {
        const model = new Model(strategy);
        for (const op of ops) model.run(op);
      }),
      { numRuns: 500 },
    );
  });

  it('reaches Stable with every partition assigned when every client joins and syncs (the property is not vacuous)', () => {
    const model = new Model('range');
    const everyone = (kind: 'join' | 'sync') => [0, 1, 2, 3].forEach((client) => model.run({ kind, client }));
    everyone('join');
    everyone('join');
    model.run({ kind: 'wait', ms: 10_000 });
    everyone('sync');
    expect(model.group.state).toBe('CompletingRebalance');
    model.run({ kind: 'store', ok: true });
    expect(model.group.state).toBe('Stable');
    expect(model.group.members.flatMap((m) => m.assignment)).toHaveLength(5);
  });
});
