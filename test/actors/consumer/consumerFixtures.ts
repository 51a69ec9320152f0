import type { TopicPartition } from '../../../actors/assignors/TopicPartition.ts';
import type { JoinGroupRequest, JoinGroupResponse, SyncGroupRequest, SyncGroupResponse } from '../../../src/protocol/groupMessages.ts';
import { resolveConsumerConfig, type ConsumerSettings } from '../../../actors/consumer/consumerDefaults.ts';
import { initialMembership, type Membership, type MembershipEffect, type MembershipResult } from '../../../actors/consumer/membership.ts';

export const eagerConfig = resolveConsumerConfig({ partitionAssignmentStrategy: ['range'] });
export const cooperativeConfig = resolveConsumerConfig({ partitionAssignmentStrategy: ['cooperative-sticky'] });
export const configWith = (overrides: Partial<ConsumerSettings>) => resolveConsumerConfig(overrides);

/** A fresh member subscribed to topic `t`. */
export function freshMember(clientId = 'c1', nowMs = 0): Membership {
  return initialMembership({ groupId: 'g', clientId, topics: ['t'], nowMs });
}

/** A STABLE member of generation `generationId` owning `owned`. */
export function stableMember(owned: TopicPartition[], overrides: Partial<Membership> = {}): Membership {
  return {
    ...freshMember(),
    state: 'STABLE',
    memberId: 'c1-1',
    generationId: 3,
    protocolName: 'range',
    leaderId: 'c1-1',
    isLeader: true,
    ownedPartitions: owned,
    lastAssignment: { partitions: owned, generationId: 3 },
    rejoinNeeded: false,
    rejoinReason: '',
    ...overrides,
  };
}

/** The only effect of `type` in a result; throws if there is not exactly one. */
export function only<T extends MembershipEffect['type']>(result: MembershipResult, type: T): Extract<MembershipEffect, { type: T }> {
  const found = result.effects.filter((e) => e.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type} effect, got ${JSON.stringify(result.effects)}`);
  return found[0] as Extract<MembershipEffect, { type: T }>;
}

export function joinRequestOf(result: MembershipResult): JoinGroupRequest {
  return only(result, 'joinGroup').request;
}

export function syncRequestOf(result: MembershipResult): SyncGroupRequest {
  return only(result, 'syncGroup').request;
}

/** A successful JoinGroup answer. */
export function joinOk(overrides: Partial<JoinGroupResponse> & Pick<JoinGroupResponse, 'memberId' | 'leaderId' | 'generationId'>): JoinGroupResponse {
  return { errorCode: 'NONE', protocolType: 'consumer', protocolName: 'range', members: [], skipAssignment: false, ...overrides };
}

/** A JoinGroup error answer, as the coordinator's `joinError` builds it. */
export function joinErr(errorCode: JoinGroupResponse['errorCode'], memberId: string): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leaderId: '', memberId, members: [], skipAssignment: false };
}

export function syncOk(assignment: TopicPartition[], protocolName = 'range'): SyncGroupResponse {
  return { errorCode: 'NONE', protocolType: 'consumer', protocolName, assignment };
}

/** Partition keys in a stable order, for comparing sets of partitions. */
export function keys(partitions: readonly TopicPartition[]): string[] {
  return partitions.map(([topic, partition]) => `${topic}-${partition}`).sort();
}
