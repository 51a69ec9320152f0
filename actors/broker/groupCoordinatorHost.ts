import { coordinatorPartition } from '../../src/protocol/coordinatorPartition.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { batchSizeBytes } from '../../src/protocol/recordSize.ts';
import { applyOffsetCommits, commitOffsets } from '../coordinator/offsetCommit.ts';
import { coordinatorDefaults, type CoordinatorConfig } from '../coordinator/coordinatorDefaults.ts';
import type { CoordinatorResult, StoredAssignment } from '../coordinator/CoordinatorResult.ts';
import { emptyGroup, type GroupMetadata } from '../coordinator/GroupMetadata.ts';
import {
  CONSUMER_OFFSETS_TOPIC,
  groupErrorAnswer,
  groupErrorResponse,
  type FindCoordinatorRequest,
  type GroupApi,
  type GroupRequestMessage,
  type GroupResponseMessage,
} from '../../src/protocol/groupMessages.ts';
import type { GroupRecord, OffsetCommitRecord } from '../coordinator/groupRecords.ts';
import { replayGroupRecords } from '../coordinator/groupRecords.ts';
import { heartbeat } from '../coordinator/heartbeat.ts';
import { joinGroup } from '../coordinator/joinGroup.ts';
import { leaveGroup } from '../coordinator/leaveGroup.ts';
import { fetchOffsets } from '../coordinator/offsetFetch.ts';
import { expireDeadlines, nextDeadlineMs } from '../coordinator/sessionExpiry.ts';
import { assignmentStored, syncGroup } from '../coordinator/syncGroup.ts';
import { topicOf } from '../controller/metadataImage.ts';
import type { BrokerConfig } from './brokerConfig.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { nextTimer } from './BrokerState.ts';
import { parkedKey, type CoordinatorShard, type DeferredAnswer, type Requester } from './CoordinatorHostState.ts';
import { generationNotes } from './generationNotes.ts';
import { completeOrDelayProduce } from './delayedProduce.ts';
import { appendRecords, type PartitionAppendResult } from './leaderAppend.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// The group coordinator inside a broker (GroupCoordinator + GroupMetadataManager): it serves the groups of every
// `__consumer_offsets` partition this broker leads. Becoming leader starts a load of the partition's log
// (COORDINATOR_LOAD_IN_PROGRESS until it is done); losing leadership unloads the groups (NOT_COORDINATOR to what
// was parked). The group rules are the pure functions of actors/coordinator; this file routes requests to them,
// parks and answers requests as their effects say, and writes their records to the partition as an acks=all
// append, answering SyncGroup and OffsetCommit only once the append is committed, as Kafka does.

/** The coordinator settings of a broker config. */
export function coordinatorConfigOf(config: BrokerConfig): CoordinatorConfig {
  return {
    groupMinSessionTimeoutMs: config.groupMinSessionTimeoutMs,
    groupMaxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
    groupInitialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
    offsetsTopicNumPartitions: coordinatorDefaults.offsetsTopicNumPartitions,
    newMemberJoinTimeoutMs: config.newMemberJoinTimeoutMs,
  };
}

/** FindCoordinator: the leader of the group's `__consumer_offsets` partition in this broker's metadata. */
export function serveFindCoordinator(state: BrokerState, request: FindCoordinatorRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const partitions = topicOf(state.image, CONSUMER_OFFSETS_TOPIC)?.partitions;
  const leader = partitions === undefined ? -1 : (partitions[coordinatorPartition(request.groupId, partitions.length)]?.leader ?? -1);
  const answer = { type: 'findCoordinator.response', correlationId: request.correlationId, nodeId: leader } as const;
  out.push({ kind: 'send', to: request.from, message: leader < 0 ? { ...answer, errorCode: 'COORDINATOR_NOT_AVAILABLE' } : answer });
  return state;
}

/** Serves a group request, or answers why this broker cannot. */
export function serveGroupRequest(state: BrokerState, request: GroupRequestMessage & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  const refuse = (errorCode: Exclude<KafkaErrorType, 'NONE'>) => {
    out.push({ kind: 'send', to: request.from, message: groupErrorResponse(request, errorCode) });
    return state;
  };
  const numPartitions = topicOf(state.image, CONSUMER_OFFSETS_TOPIC)?.partitions.length;
  if (numPartitions === undefined || numPartitions === 0) return refuse('COORDINATOR_NOT_AVAILABLE');
  const partition = coordinatorPartition(request.groupId, numPartitions);
  const shard = state.coordinator.shards[partition];
  if (shard === undefined) return refuse('NOT_COORDINATOR');
  if (!shard.loaded) {
    // GroupCoordinator's answers while the group loads: a SyncGroup's rebalance was lost with the old coordinator,
    // so the member is sent back to JoinGroup (REBALANCE_IN_PROGRESS, which every client knows); a Heartbeat is
    // answered blindly; the other requests are asked to come back.
    if (request.type === 'syncGroup.request') return refuse('REBALANCE_IN_PROGRESS');
    if (request.type === 'heartbeat.request') {
      out.push({ kind: 'send', to: request.from, message: { type: 'heartbeat.response', correlationId: request.correlationId, body: { errorCode: 'NONE' } } });
      return state;
    }
    return refuse('COORDINATOR_LOAD_IN_PROGRESS');
  }
  const group = shard.groups[request.groupId] ?? emptyGroup(request.groupId, nowMs);
  const requester: Requester = { to: request.from, correlationId: request.correlationId };
  const { config } = state;
  const rebalance = { nowMs, groupInitialRebalanceDelayMs: config.groupInitialRebalanceDelayMs };
  switch (request.type) {
    case 'joinGroup.request': {
      let nextMemberId = state.coordinator.nextMemberId;
      const newMemberIdSuffix = () => `${state.brokerEpoch}-${nextMemberId++}`;
      const options = { nowMs, config: coordinatorConfigOf(config), newMemberIdSuffix, staticMemberIdNotReplaced: config.weakenings.staticMemberIdNotReplaced };
      const result = joinGroup(group, request.body, options);
      const counted = { ...state, coordinator: { ...state.coordinator, nextMemberId } };
      return applyResult(counted, partition, group, result, { requester, respond: (body) => ({ type: 'joinGroup.response', correlationId: request.correlationId, body }) }, nowMs, out);
    }
    case 'syncGroup.request':
      return applyResult(state, partition, group, syncGroup(group, request.body, nowMs, { assignmentBeforeCommit: config.weakenings.assignmentBeforeCommit }), { requester, respond: (body) => ({ type: 'syncGroup.response', correlationId: request.correlationId, body }) }, nowMs, out);
    case 'heartbeat.request':
      return applyResult(state, partition, group, heartbeat(group, request.body, nowMs), { requester, respond: (body) => ({ type: 'heartbeat.response', correlationId: request.correlationId, body }) }, nowMs, out);
    case 'leaveGroup.request':
      return applyResult(state, partition, group, leaveGroup(group, request.body, rebalance), { requester, respond: (body) => ({ type: 'leaveGroup.response', correlationId: request.correlationId, body }) }, nowMs, out);
    case 'offsetCommit.request': {
      const result = commitOffsets(group, request.body, { nowMs, noGenerationFencing: config.weakenings.noGenerationFencing });
      if (result.response?.partitions.every((p) => p.errorCode === 'NONE') === true) {
        const offsets = Object.fromEntries(request.body.offsets.map((p) => [topicPartitionKey(p.topic, p.partition), p.offset]));
        const { memberId, generationId } = request.body;
        out.push({ kind: 'note', data: { group: 'commitAccepted', groupId: group.groupId, memberId, generation: generationId, groupGeneration: group.generationId, offsets } });
      }
      return applyResult(state, partition, group, result, { requester, respond: (body) => ({ type: 'offsetCommit.response', correlationId: request.correlationId, body }) }, nowMs, out);
    }
    case 'offsetFetch.request':
      out.push({ kind: 'send', to: request.from, message: { type: 'offsetFetch.response', correlationId: request.correlationId, body: fetchOffsets(group, request.body) } });
      return state;
  }
}

/**
 * After a metadata change: load the `__consumer_offsets` partitions this broker now leads (after
 * offsetsLoadTimeMs), and unload those it no longer leads, answering what was parked or waiting NOT_COORDINATOR.
 */
export function syncCoordinatorShards(state: BrokerState, out: BrokerEffect[]): BrokerState {
  let shards = state.coordinator.shards;
  const led = new Map<number, number>();
  for (const replica of Object.values(state.partitions)) {
    if (replica.topic === CONSUMER_OFFSETS_TOPIC && replica.leader === state.brokerId) led.set(replica.partition, replica.leaderEpoch);
  }
  for (const [partition, leaderEpoch] of led) {
    const shard = shards[partition];
    if (shard?.leaderEpoch === leaderEpoch) continue;
    if (shard !== undefined) {
      // Still the leader, in a new epoch: the groups in memory are the log's (Kafka reloads only what it lacks).
      shards = { ...shards, [partition]: { ...shard, leaderEpoch } };
      continue;
    }
    shards = { ...shards, [partition]: { partition, leaderEpoch, loaded: false, groups: {}, parked: {}, appends: {}, pendingOffsetCommits: {}, pendingAssignments: {} } };
    out.push({ kind: 'timer', id: `coordinator.load:${partition}`, delayMs: state.config.offsetsLoadTimeMs, event: { type: 'coordinator.loaded', partition, leaderEpoch } });
  }
  for (const shard of Object.values(shards)) {
    if (led.has(shard.partition)) continue;
    for (const answers of Object.values(shard.appends)) sendAll(answers, 'NOT_COORDINATOR', out);
    for (const [key, requester] of Object.entries(shard.parked)) {
      const [, kind, memberId] = key.split(' ');
      const api = kind === 'join' ? 'joinGroup' : 'syncGroup';
      out.push({ kind: 'send', to: requester.to, message: groupErrorAnswer(api, requester.correlationId, 'NOT_COORDINATOR', { memberId: memberId ?? '' }) });
    }
    out.push({ kind: 'cancel', id: `coordinator.load:${shard.partition}` }, { kind: 'cancel', id: `coordinator.deadline:${shard.partition}` });
    const rest = { ...shards };
    delete rest[shard.partition];
    shards = rest;
  }
  return shards === state.coordinator.shards ? state : { ...state, coordinator: { ...state.coordinator, shards } };
}

/** The load finished: the groups are rebuilt from every record of the partition's log (`loadGroupsAndOffsets`). */
export function onCoordinatorLoaded(state: BrokerState, partition: number, leaderEpoch: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  const shard = state.coordinator.shards[partition];
  if (shard === undefined || shard.leaderEpoch !== leaderEpoch || shard.loaded) return state;
  const log = state.partitions[`${CONSUMER_OFFSETS_TOPIC}-${partition}`]?.log;
  const records: GroupRecord[] = [];
  for (const batch of log?.batches ?? []) {
    if (batch.baseOffset >= (log?.logEndOffset ?? 0)) break;
    for (const record of batch.records) records.push(JSON.parse(record.value) as GroupRecord);
  }
  const loaded: CoordinatorShard = { ...shard, loaded: true, groups: replayGroupRecords(records, nowMs) };
  return withShard(state, loaded, nowMs, out);
}

/** A timer of the shard's groups is due: sessions, pending member ids, the rebalance deadline. */
export function onCoordinatorDeadline(state: BrokerState, partition: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  const shard = state.coordinator.shards[partition];
  if (shard === undefined || !shard.loaded) return state;
  let next = state;
  const config = coordinatorConfigOf(state.config);
  for (const group of Object.values(shard.groups)) {
    const due = nextDeadlineMs(group, config);
    if (due === null || due > nowMs) continue;
    next = applyResult(next, partition, group, expireDeadlines(group, { nowMs, config }), null, nowMs, out);
  }
  return next;
}

/**
 * The coordinator's append is committed (or failed): the answers that waited for it go out, its offset commits
 * become the group's (or are dropped), and a leader's assignment it stored moves its group on (`assignmentStored`).
 */
export function onCoordinatorAppended(state: BrokerState, appendId: string, errorCode: KafkaErrorType, nowMs: number, out: BrokerEffect[]): BrokerState {
  for (const shard of Object.values(state.coordinator.shards)) {
    const answers = shard.appends[appendId];
    if (answers === undefined) continue;
    const outcome = errorCode === 'NONE' ? 'NONE' : appendError(errorCode);
    sendAll(answers, outcome, out);
    const appends = { ...shard.appends };
    delete appends[appendId];
    const { groups, pendingOffsetCommits } = settlePendingOffsets(shard, appendId, errorCode === 'NONE');
    const { [appendId]: assignment, ...pendingAssignments } = shard.pendingAssignments;
    const settled = { ...shard, appends, groups, pendingOffsetCommits, pendingAssignments };
    const next = { ...state, coordinator: { ...state.coordinator, shards: { ...state.coordinator.shards, [shard.partition]: settled } } };
    if (assignment === undefined) return next;
    return settleAssignment(next, shard.partition, assignment.groupId, assignment.stored, outcome, nowMs, out);
  }
  return state;
}

/** Who asked, and how to turn the rule's response into the answer message; null for a timer. */
interface Asker<R> {
  readonly requester: Requester;
  readonly respond: (body: R) => GroupResponseMessage;
}

// Carries out a rule's result: parks and answers requests, appends records (answers wait for the append when
// there is one), stores the group and re-arms the shard's deadline timer.
function applyResult<R>(
  state: BrokerState,
  partition: number,
  before: GroupMetadata,
  result: CoordinatorResult<R>,
  asker: Asker<R> | null,
  nowMs: number,
  out: BrokerEffect[],
): BrokerState {
  let shard = state.coordinator.shards[partition] as CoordinatorShard;
  const parked = { ...shard.parked };
  const answers: DeferredAnswer[] = [];
  const records: GroupRecord[] = [];
  let stored: StoredAssignment | undefined;
  const groupId = before.groupId;
  for (const effect of result.effects) {
    if (effect.type === 'append') {
      records.push(...effect.records);
      stored = effect.stored ?? stored;
      continue;
    }
    const kind = effect.type === 'parkJoin' || effect.type === 'answerJoin' ? 'join' : 'sync';
    const key = parkedKey(groupId, kind, effect.memberId);
    if (effect.type === 'parkJoin' || effect.type === 'parkSync') {
      if (asker !== null) parked[key] = asker.requester;
      continue;
    }
    const waiting = parked[key];
    if (waiting === undefined) continue;
    delete parked[key];
    const success: GroupResponseMessage =
      effect.type === 'answerJoin'
        ? { type: 'joinGroup.response', correlationId: waiting.correlationId, body: effect.response }
        : { type: 'syncGroup.response', correlationId: waiting.correlationId, body: effect.response };
    answers.push(deferred(waiting.to, success));
  }
  if (asker !== null && result.response !== null) answers.push(deferred(asker.requester.to, asker.respond(result.response)));
  for (const note of generationNotes(before, result.state)) out.push({ kind: 'note', data: note });
  shard = { ...shard, parked, groups: { ...shard.groups, [groupId]: result.state } };
  let next = { ...state, coordinator: { ...state.coordinator, shards: { ...state.coordinator.shards, [partition]: shard } } };
  if (records.length === 0) {
    sendAll(answers, 'NONE', out);
    return withShard(next, shard, nowMs, out);
  }
  const appended = appendGroupRecords(next, partition, records, nowMs, out);
  next = appended.state;
  shard = next.coordinator.shards[partition] as CoordinatorShard;
  if (appended.appendId === null) {
    // Refused at once (not the leader, or below min ISR): the same outcome as a failed append, now.
    sendAll(answers, appended.errorCode, out);
    const failed = withShard(next, shard, nowMs, out);
    return stored === undefined ? failed : settleAssignment(failed, partition, groupId, stored, appended.errorCode, nowMs, out);
  }
  const { appendId } = appended;
  const offsetRecords = records.filter((record): record is OffsetCommitRecord => record.type === 'OffsetCommit');
  const pendingOffsetCommits = offsetRecords.length === 0 ? shard.pendingOffsetCommits : { ...shard.pendingOffsetCommits, [appendId]: { groupId, records: offsetRecords } };
  const pendingAssignments = stored === undefined ? shard.pendingAssignments : { ...shard.pendingAssignments, [appendId]: { groupId, stored } };
  return withShard(next, { ...shard, appends: { ...shard.appends, [appendId]: answers }, pendingOffsetCommits, pendingAssignments }, nowMs, out);
}

// A leader's assignment record is committed, or its append failed: the group moves on (`assignmentStored`).
function settleAssignment(
  state: BrokerState,
  partition: number,
  groupId: string,
  stored: StoredAssignment,
  errorCode: KafkaErrorType,
  nowMs: number,
  out: BrokerEffect[],
): BrokerState {
  const group = state.coordinator.shards[partition]?.groups[groupId];
  if (group === undefined) return state;
  const rebalance = { nowMs, groupInitialRebalanceDelayMs: state.config.groupInitialRebalanceDelayMs };
  return applyResult(state, partition, group, assignmentStored(group, stored, errorCode, rebalance), null, nowMs, out);
}

// An append of offset commits is done: committed, the offsets become the group's (GroupMetadata#onOffsetCommitAppend);
// failed, they are dropped (#failPendingOffsetWrite). Either way they are no longer pending.
function settlePendingOffsets(shard: CoordinatorShard, appendId: string, committed: boolean): Pick<CoordinatorShard, 'groups' | 'pendingOffsetCommits'> {
  const pending = shard.pendingOffsetCommits[appendId];
  if (pending === undefined) return shard;
  const pendingOffsetCommits = { ...shard.pendingOffsetCommits };
  delete pendingOffsetCommits[appendId];
  const group = shard.groups[pending.groupId];
  if (!committed || group === undefined) return { groups: shard.groups, pendingOffsetCommits };
  return { groups: { ...shard.groups, [pending.groupId]: applyOffsetCommits(group, pending.records) }, pendingOffsetCommits };
}

// The group's records as one acks=all batch on the partition this broker leads, through the leader-append path
// client produces take (ReplicaManager.appendRecords with origin COORDINATOR); its outcome comes back as a
// `coordinator.appended` event. Refused at once when not the leader or below min ISR.
function appendGroupRecords(
  state: BrokerState,
  partition: number,
  records: readonly GroupRecord[],
  nowMs: number,
  out: BrokerEffect[],
): { state: BrokerState; appendId: string | null; errorCode: Exclude<KafkaErrorType, 'NONE'> } {
  const wire = records.map((record) => ({ key: recordKey(record), value: JSON.stringify(record) }));
  const batch = { baseOffset: -1, leaderEpoch: -1, producerId: -1, producerEpoch: -1, baseSequence: -1, sizeInBytes: batchSizeBytes(wire), records: wire };
  const entries = [{ topic: CONSUMER_OFFSETS_TOPIC, partition, batch }];
  // offsets.commit.required.acks: -1 (all), the classic coordinator's default and the only behaviour of the 4.x
  // one (GroupMetadataManager#appendForGroup); the offset-commit-acks-1 weakening answers after the leader's own
  // append, as the setting's value 1 did.
  const requiredAcks = state.config.weakenings.offsetCommitAcksOne ? 1 : -1;
  const { state: appended, results } = appendRecords(state, entries, { requiredAcks, origin: 'coordinator', nowMs }, out);
  const result = results[0] as PartitionAppendResult;
  if (result.errorCode !== 'NONE') return { state: appended, appendId: null, errorCode: appendError(result.errorCode) };
  const [counted, appendId] = nextTimer(appended, 'append');
  const requester = { kind: 'coordinator', appendId } as const;
  const next = completeOrDelayProduce(counted, results, { requester, requiredAcks, timeoutMs: state.config.offsetCommitTimeoutMs, nowMs }, out);
  return { state: next, appendId, errorCode: 'UNKNOWN_SERVER_ERROR' };
}

// The key a record is compacted by: the group, or the group and partition of a committed offset.
function recordKey(record: GroupRecord): string {
  return record.type === 'GroupMetadata' ? `group:${record.groupId}` : `offset:${record.groupId}:${record.topic}-${record.partition}`;
}

// How a failed append reaches the client (GroupMetadataManager#storeGroup / #storeOffsets): a lost leadership is
// NOT_COORDINATOR, everything else (min ISR, timeouts) COORDINATOR_NOT_AVAILABLE, both retriable.
function appendError(errorCode: KafkaErrorType): Exclude<KafkaErrorType, 'NONE'> {
  if (errorCode === 'NOT_LEADER_OR_FOLLOWER' || errorCode === 'NOT_COORDINATOR') return 'NOT_COORDINATOR';
  return 'COORDINATOR_NOT_AVAILABLE';
}

function deferred(to: string, success: GroupResponseMessage): DeferredAnswer {
  return { to, success };
}

function sendAll(answers: readonly DeferredAnswer[], errorCode: KafkaErrorType, out: BrokerEffect[]): void {
  for (const answer of answers) {
    const message = errorCode === 'NONE' ? answer.success : failureOf(answer.success, errorCode);
    out.push({ kind: 'send', to: answer.to, message });
  }
}

function failureOf(success: GroupResponseMessage, errorCode: Exclude<KafkaErrorType, 'NONE'>): GroupResponseMessage {
  const api = success.type.slice(0, success.type.indexOf('.')) as GroupApi;
  const memberId = success.type === 'joinGroup.response' ? success.body.memberId : '';
  const partitions = success.type === 'offsetCommit.response' ? success.body.partitions : [];
  return groupErrorAnswer(api, success.correlationId, errorCode, { memberId, partitions });
}

// Stores the shard and arms its next deadline (or cancels it when no timer of any group runs).
function withShard(state: BrokerState, shard: CoordinatorShard, nowMs: number, out: BrokerEffect[]): BrokerState {
  const config = coordinatorConfigOf(state.config);
  let earliest: number | null = null;
  for (const group of Object.values(shard.groups)) {
    const due = nextDeadlineMs(group, config);
    if (due !== null && (earliest === null || due < earliest)) earliest = due;
  }
  const id = `coordinator.deadline:${shard.partition}`;
  if (earliest === null) out.push({ kind: 'cancel', id });
  else out.push({ kind: 'timer', id, delayMs: Math.max(0, earliest - nowMs), event: { type: 'coordinator.deadline', partition: shard.partition } });
  return { ...state, coordinator: { ...state.coordinator, shards: { ...state.coordinator.shards, [shard.partition]: shard } } };
}
