// What the wire gateway does with each API a real client sends: decode the request's body (src/protocol/wire), turn
// it into the simulator's request messages for the broker's machine (src/protocol/messages.ts, groupMessages.ts),
// and encode the machine's answers as the response body of the version asked for. This is the part of Kafka's
// `KafkaApis` that reads and writes bytes; every rule stays in the broker and coordinator machines.
import { brokerNodeId } from '../protocol/nodeIds.ts';
import { kafkaErrors, type KafkaErrorType } from '../protocol/errors.ts';
import type { GroupResponseMessage, JoinGroupResponseMessage, OffsetFetchResponseMessage, SyncGroupResponseMessage } from '../protocol/groupMessages.ts';
import type {
  FetchResponse as SimFetchResponse,
  InitProducerIdResponse as SimInitProducerIdResponse,
  ListOffsetsResponse as SimListOffsetsResponse,
  MetadataResponse as SimMetadataResponse,
  ProduceResponse as SimProduceResponse,
  RecordBatch as SimRecordBatch,
  WireRecord,
} from '../protocol/messages.ts';
import { batchSizeBytes } from '../protocol/recordSize.ts';
import type { Message } from '../kernel/Bus.ts';
import {
  apiKeys,
  apiVersionsVersions,
  ByteReader,
  decodeFetchRequest,
  decodeFindCoordinatorRequest,
  decodeHeartbeatRequest,
  decodeInitProducerIdRequest,
  decodeJoinGroupRequest,
  decodeLeaveGroupRequest,
  decodeListOffsetsRequest,
  decodeMetadataRequest,
  decodeOffsetCommitRequest,
  decodeOffsetFetchRequest,
  decodeProduceRequest,
  decodeSyncGroupRequest,
  encodeApiVersionsResponse,
  encodeFetchResponse,
  encodeFindCoordinatorResponse,
  encodeHeartbeatResponse,
  encodeInitProducerIdResponse,
  encodeJoinGroupResponse,
  encodeLeaveGroupResponse,
  encodeListOffsetsResponse,
  encodeMetadataResponse,
  encodeOffsetCommitResponse,
  encodeOffsetFetchResponse,
  encodeProduceResponse,
  encodeSyncGroupResponse,
  fetchVersions,
  findCoordinatorVersions,
  heartbeatVersions,
  initProducerIdVersions,
  joinGroupVersions,
  leaveGroupVersions,
  listOffsetsVersions,
  metadataVersions,
  offsetCommitVersions,
  offsetFetchVersions,
  produceVersions,
  syncGroupVersions,
  type RecordBatch,
  type VersionRange,
} from '../protocol/wire/index.ts';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, type WireSubscription } from '../protocol/wire/consumerProtocol.ts';
import type { DefaultRecord } from '../protocol/wire/defaultRecord.ts';

/** The port every simulated broker listens on (the host is its node id, `broker-1`). */
export const BROKER_PORT = 9092;

/** The cluster id brokers report in Metadata responses. */
export const CLUSTER_ID = 'kafka-sim';

/** A request as the gateway read it: which API and version, and the rest of the frame. */
export interface WireRequestContext {
  apiVersion: number;
  clientId: string | null;
  body: ByteReader;
  /** A fresh correlation id for each message the gateway gives the broker's machine (unique per gateway). */
  nextId: () => number;
}

/** What the gateway does with one request. */
export type WirePlan =
  /** Answer now, without the machine (ApiVersions, errors the gateway can decide alone). */
  | { kind: 'answer'; body: Buffer }
  /** Give these requests to the machine; once it has answered all of them, `encode` their answers, in this order. */
  | { kind: 'ask'; requests: Message[]; encode: (answers: Message[]) => Buffer }
  /** Give these to the machine; no response goes back (an acks=0 Produce). */
  | { kind: 'tell'; requests: Message[] };

/** One API the gateway serves: the versions it speaks and what it does with a request. */
export interface WireApi {
  name: string;
  versions: VersionRange;
  plan(request: WireRequestContext): WirePlan;
}

const code = (error: KafkaErrorType | undefined): number => kafkaErrors[error ?? 'NONE'].code;

// ---- records ----

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isText(bytes: Buffer | null): boolean {
  if (bytes === null) return true;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * A batch a real client produced, as the broker's log keeps records: key and value as text (or base64 when some
 * field is not UTF-8, marked by `encoding`), the CreateTime timestamp and the headers. A null value (a tombstone)
 * is kept as the empty value: the simulator has no compaction, so nothing reads it differently (README, Fidelity).
 */
export function simBatchOf(batch: RecordBatch): SimRecordBatch {
  const fields = (record: DefaultRecord) => [record.key, record.value, ...record.headers.map((h) => h.value)];
  const text = batch.records.every((record) => fields(record).every(isText));
  const encoding: BufferEncoding = text ? 'utf8' : 'base64';
  const asString = (bytes: Buffer | null) => (bytes === null ? null : bytes.toString(encoding));
  const records: WireRecord[] = batch.records.map((record) => ({
    key: asString(record.key),
    value: asString(record.value) ?? '',
    timestampMs: Number(batch.baseTimestamp + record.timestampDelta),
    ...(record.headers.length === 0 ? {} : { headers: record.headers.map((h) => ({ key: h.key, value: asString(h.value) })) }),
    ...(text ? {} : { encoding: 'base64' as const }),
  }));
  return {
    baseOffset: -1,
    leaderEpoch: -1,
    producerId: Number(batch.producerId),
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    sizeInBytes: batchSizeBytes(records),
    records,
  };
}

/** A batch of the broker's log as a fetch response carries it: RecordBatch v2, uncompressed, CreateTime. */
export function wireBatchOf(batch: SimRecordBatch): RecordBatch {
  const times = batch.records.map((r) => r.timestampMs ?? -1);
  const baseTimestamp = times.length === 0 ? -1 : Math.min(...times);
  const bytes = (text: string | null, record: WireRecord) => (text === null ? null : Buffer.from(text, record.encoding === 'base64' ? 'base64' : 'utf8'));
  return {
    baseOffset: BigInt(batch.baseOffset),
    partitionLeaderEpoch: batch.leaderEpoch,
    lastOffsetDelta: batch.records.length - 1,
    baseTimestamp: BigInt(baseTimestamp),
    maxTimestamp: BigInt(times.length === 0 ? -1 : Math.max(...times)),
    producerId: BigInt(batch.producerId),
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    compression: 'none',
    timestampType: 'CreateTime',
    isTransactional: false,
    isControlBatch: false,
    hasDeleteHorizonMs: false,
    records: batch.records.map((record, i) => ({
      attributes: 0,
      timestampDelta: BigInt((record.timestampMs ?? -1) - baseTimestamp),
      offsetDelta: i,
      key: bytes(record.key, record),
      value: bytes(record.value, record),
      headers: (record.headers ?? []).map((h) => ({ key: h.key, value: bytes(h.value, record) })),
    })),
  };
}

/** Entries grouped by topic, topics in first-seen order: how Kafka's responses list partitions. */
function byTopic<T extends { topic: string }>(items: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.topic);
    if (group === undefined) groups.set(item.topic, [item]);
    else group.push(item);
  }
  return [...groups];
}

// ---- the APIs ----

/** Every API the gateway serves, by API key, with the versions ApiVersions advertises. */
export const wireApis = new Map<number, WireApi>();

function serve(key: number, api: WireApi): void {
  wireApis.set(key, api);
}

serve(apiKeys.ApiVersions.apiKey, {
  name: 'ApiVersions',
  versions: apiVersionsVersions,
  plan: ({ apiVersion }) => ({ kind: 'answer', body: encodeApiVersionsResponse(apiVersionsAnswer(), Math.min(apiVersion, apiVersionsVersions.maxVersion)) }),
});

/** The ApiVersions answer: every API the gateway serves, with its versions. */
function apiVersionsAnswer() {
  const keys = [...wireApis].sort(([a], [b]) => a - b).map(([apiKey, { versions }]) => ({ apiKey, ...versions }));
  return { errorCode: 0, apiKeys: keys, throttleTimeMs: 0 };
}

serve(apiKeys.Metadata.apiKey, {
  name: 'Metadata',
  versions: metadataVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeMetadataRequest(body, apiVersion);
    const wanted = request.topics === null ? null : request.topics.map((t) => t.name);
    // The simulator's Metadata asks for every topic with an empty list; a wire request for none gets brokers only.
    const ask = { type: 'metadata.request', correlationId: nextId(), topics: wanted ?? [] };
    return {
      kind: 'ask',
      requests: [ask],
      encode: ([answer]) => {
        const { brokers, partitions, topicErrors, controllerId: controllerOf } = answer as unknown as SimMetadataResponse;
        const live = new Set(brokers);
        const topicNames = wanted ?? [...new Set(partitions.map((p) => p.topic))].sort();
        const topics = (wanted !== null && wanted.length === 0 ? [] : topicNames).map((name) => ({
          errorCode: code(topicErrors[name]),
          name,
          isInternal: name.startsWith('__'),
          partitions: partitions
            .filter((p) => p.topic === name)
            .sort((a, b) => a.partition - b.partition)
            .map((p) => ({
              errorCode: code(p.leader < 0 ? 'LEADER_NOT_AVAILABLE' : 'NONE'),
              partitionIndex: p.partition,
              leaderId: p.leader,
              replicaNodes: p.replicas,
              isrNodes: p.isr,
              offlineReplicas: p.replicas.filter((r) => !live.has(r)),
            })),
        }));
        const wireBrokers = [...brokers].sort((a, b) => a - b).map((nodeId) => ({ nodeId, host: brokerNodeId(nodeId), port: BROKER_PORT, rack: null }));
        // A KRaft broker names a random live broker as the controller (clients send it admin requests): the lowest
        // here; a ZooKeeper-mode broker names the elected one.
        const controllerId = controllerOf ?? wireBrokers[0]?.nodeId ?? -1;
        return encodeMetadataResponse({ throttleTimeMs: 0, brokers: wireBrokers, clusterId: CLUSTER_ID, controllerId, topics }, apiVersion);
      },
    };
  },
});

serve(apiKeys.Produce.apiKey, {
  name: 'Produce',
  versions: produceVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeProduceRequest(body, apiVersion);
    // Kafka takes one batch per partition from v3 on (`ProduceRequest#validateRecords`): anything else is answered
    // INVALID_RECORD for that partition without reaching the log; so are transactional batches (no transactions here).
    const partitions: Array<{ topic: string; partition: number; batch: SimRecordBatch }> = [];
    const refused: Array<{ topic: string; partition: number; errorCode: number }> = [];
    const order: Array<{ topic: string; partition: number }> = [];
    for (const topic of request.topicData) {
      for (const data of topic.partitionData) {
        order.push({ topic: topic.name, partition: data.index });
        const batch = data.records?.length === 1 ? data.records[0] : undefined;
        if (batch === undefined || batch.isTransactional || request.transactionalId !== null) {
          refused.push({ topic: topic.name, partition: data.index, errorCode: INVALID_RECORD });
        } else {
          partitions.push({ topic: topic.name, partition: data.index, batch: simBatchOf(batch) });
        }
      }
    }
    const ask = { type: 'produce.request', correlationId: nextId(), acks: request.acks, timeoutMs: request.timeoutMs, partitions };
    if (request.acks === 0) return { kind: 'tell', requests: partitions.length === 0 ? [] : [ask] };
    const encode = (answers: Message[]) => {
      const answered = (answers[0] as unknown as SimProduceResponse | undefined)?.partitions ?? [];
      const outcome = (topic: string, partition: number) => {
        const no = refused.find((r) => r.topic === topic && r.partition === partition);
        if (no !== undefined) return { errorCode: no.errorCode, baseOffset: -1n };
        const yes = answered.find((r) => r.topic === topic && r.partition === partition);
        return { errorCode: code(yes?.errorCode), baseOffset: BigInt(yes?.baseOffset ?? -1) };
      };
      const responses = byTopic(order).map(([name, list]) => ({
        name,
        partitionResponses: list.map(({ topic, partition }) => ({ index: partition, ...outcome(topic, partition), logAppendTimeMs: -1n, logStartOffset: 0n })),
      }));
      return encodeProduceResponse({ responses, throttleTimeMs: 0 }, apiVersion);
    };
    if (partitions.length === 0) return { kind: 'answer', body: encode([]) };
    return { kind: 'ask', requests: [ask], encode };
  },
});

/** Kafka's INVALID_RECORD (87), not in the simulator's error table: only the gateway answers it. */
const INVALID_RECORD = 87;

serve(apiKeys.InitProducerId.apiKey, {
  name: 'InitProducerId',
  versions: initProducerIdVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeInitProducerIdRequest(body, apiVersion);
    if (request.transactionalId !== null) {
      // Transactions are not simulated: a transactional producer is told the transaction coordinator is unavailable.
      const errorCode = code('COORDINATOR_NOT_AVAILABLE');
      return { kind: 'answer', body: encodeInitProducerIdResponse({ throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 }, apiVersion) };
    }
    return {
      kind: 'ask',
      requests: [{ type: 'initProducerId.request', correlationId: nextId() }],
      encode: ([answer]) => {
        const { errorCode, producerId, producerEpoch } = answer as unknown as SimInitProducerIdResponse;
        return encodeInitProducerIdResponse({ throttleTimeMs: 0, errorCode: code(errorCode), producerId: BigInt(producerId), producerEpoch }, apiVersion);
      },
    };
  },
});

serve(apiKeys.Fetch.apiKey, {
  name: 'Fetch',
  versions: fetchVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeFetchRequest(body, apiVersion);
    const partitions = request.topics.flatMap(({ topic, partitions: list }) =>
      list.map((p) => ({
        topic,
        partition: p.partition,
        fetchOffset: Number(p.fetchOffset),
        currentLeaderEpoch: p.currentLeaderEpoch,
        lastFetchedEpoch: -1,
        partitionMaxBytes: p.partitionMaxBytes,
      })),
    );
    // Incremental fetch sessions (KIP-227) are not kept: every fetch is a full one, answered with session id 0, which
    // tells the client no session was made (FetchSessionHandler), so it keeps sending full requests.
    const ask = { type: 'fetch.request', correlationId: nextId(), replicaId: -1, replicaEpoch: -1, maxWaitMs: request.maxWaitMs, minBytes: request.minBytes, maxBytes: request.maxBytes, partitions };
    return {
      kind: 'ask',
      requests: [ask],
      encode: ([answer]) => {
        const answered = (answer as unknown as SimFetchResponse).partitions;
        const responses = byTopic(answered).map(([topic, list]) => ({
          topic,
          partitions: list.map((p) => ({
            partitionIndex: p.partition,
            errorCode: code(p.errorCode),
            highWatermark: BigInt(p.highWatermark),
            // No transactions: the last stable offset is the high watermark.
            lastStableOffset: BigInt(p.highWatermark),
            logStartOffset: BigInt(p.logStartOffset),
            abortedTransactions: [],
            preferredReadReplica: -1,
            records: p.batches.map(wireBatchOf),
          })),
        }));
        return encodeFetchResponse({ throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses }, apiVersion);
      },
    };
  },
});

serve(apiKeys.ListOffsets.apiKey, {
  name: 'ListOffsets',
  versions: listOffsetsVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeListOffsetsRequest(body, apiVersion);
    const asked = request.topics.flatMap(({ name, partitions }) => partitions.map((p) => ({ topic: name, partition: p.partitionIndex, timestamp: Number(p.timestamp) })));
    // The simulator's ListOffsets answers latest (-1) and earliest (-2); a search by timestamp is not simulated.
    const requests = asked.map(({ topic, partition, timestamp }) => ({
      type: 'listOffsets.request',
      correlationId: nextId(),
      topic,
      partition,
      timestamp: timestamp === -2 ? -2 : -1,
      currentLeaderEpoch: -1,
    }));
    return {
      kind: 'ask',
      requests,
      encode: (answers) => {
        const results = answers.map((a, i) => {
          const { offset, errorCode } = a as unknown as SimListOffsetsResponse;
          const unsupported = asked[i]!.timestamp >= 0;
          return { topic: asked[i]!.topic, partitionIndex: asked[i]!.partition, errorCode: unsupported ? INVALID_REQUEST : code(errorCode), offset: BigInt(unsupported ? -1 : offset) };
        });
        const topics = byTopic(results).map(([name, list]) => ({
          name,
          partitions: list.map(({ partitionIndex, errorCode, offset }) => ({ partitionIndex, errorCode, oldStyleOffsets: offset < 0n ? [] : [offset], timestamp: -1n, offset })),
        }));
        return encodeListOffsetsResponse({ throttleTimeMs: 0, topics }, apiVersion);
      },
    };
  },
});

const INVALID_REQUEST = kafkaErrors.INVALID_REQUEST.code;

serve(apiKeys.FindCoordinator.apiKey, {
  name: 'FindCoordinator',
  versions: findCoordinatorVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeFindCoordinatorRequest(body, apiVersion);
    const answer = (errorCode: number, nodeId: number) =>
      encodeFindCoordinatorResponse(
        { throttleTimeMs: 0, errorCode, errorMessage: null, nodeId, host: nodeId < 0 ? '' : brokerNodeId(nodeId), port: nodeId < 0 ? -1 : BROKER_PORT },
        apiVersion,
      );
    // Key type 1 is a transaction coordinator: transactions are not simulated.
    if (request.keyType !== 0) return { kind: 'answer', body: answer(code('COORDINATOR_NOT_AVAILABLE'), -1) };
    return {
      kind: 'ask',
      requests: [{ type: 'findCoordinator.request', correlationId: nextId(), groupId: request.key }],
      encode: ([found]) => {
        const { nodeId, errorCode } = found as unknown as { nodeId: number; errorCode?: KafkaErrorType };
        return answer(code(errorCode), errorCode === undefined || errorCode === 'NONE' ? nodeId : -1);
      },
    };
  },
});

/** A group request for the machine, with the body its rule takes. */
function groupAsk(type: string, groupId: string, body: object, nextId: () => number): Message {
  return { type, correlationId: nextId(), groupId, body };
}

const bodyOf = <M extends GroupResponseMessage>(answer: Message): M['body'] => (answer as unknown as M).body;
const instance = (groupInstanceId: string | null) => (groupInstanceId === null ? {} : { groupInstanceId });

serve(apiKeys.JoinGroup.apiKey, {
  name: 'JoinGroup',
  versions: joinGroupVersions,
  plan: ({ body, apiVersion, nextId, clientId }) => {
    const request = decodeJoinGroupRequest(body, apiVersion);
    const protocols: Array<{ name: string; metadata: WireSubscription }> = [];
    for (const protocol of request.protocols) {
      try {
        protocols.push({ name: protocol.name, metadata: decodeSubscription(protocol.metadata) });
      } catch {
        protocols.length = 0;
        break;
      }
    }
    const answer = (response: Parameters<typeof encodeJoinGroupResponse>[0]) => encodeJoinGroupResponse(response, apiVersion);
    // The simulator's coordinator runs the consumer protocol only; other protocol types, or metadata that is not the
    // consumer protocol's, are refused as a group of another protocol would refuse them.
    if (request.protocolType !== 'consumer' || protocols.length === 0) {
      const errorCode = code('INCONSISTENT_GROUP_PROTOCOL');
      return { kind: 'answer', body: answer({ throttleTimeMs: 0, errorCode, generationId: -1, protocolName: '', leader: '', memberId: request.memberId, members: [] }) };
    }
    const join = {
      memberId: request.memberId,
      ...instance(request.groupInstanceId),
      clientId: clientId ?? '',
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocolType: request.protocolType,
      protocols,
      requireKnownMemberId: apiVersion >= 4,
    };
    return {
      kind: 'ask',
      requests: [groupAsk('joinGroup.request', request.groupId, join, nextId)],
      encode: ([joined]) => {
        const result = bodyOf<JoinGroupResponseMessage>(joined!);
        return answer({
          throttleTimeMs: 0,
          errorCode: code(result.errorCode),
          generationId: result.generationId,
          protocolName: result.protocolName ?? '',
          leader: result.leaderId,
          memberId: result.memberId,
          members: result.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId ?? null, metadata: encodeSubscription(m.metadata) })),
        });
      },
    };
  },
});

serve(apiKeys.SyncGroup.apiKey, {
  name: 'SyncGroup',
  versions: syncGroupVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeSyncGroupRequest(body, apiVersion);
    const answer = (errorCode: number, assignment: Buffer) => encodeSyncGroupResponse({ throttleTimeMs: 0, errorCode, assignment }, apiVersion);
    let assignments: Record<string, readonly [string, number][]>;
    try {
      assignments = Object.fromEntries(request.assignments.map((a) => [a.memberId, decodeAssignment(a.assignment).partitions]));
    } catch {
      return { kind: 'answer', body: answer(code('INCONSISTENT_GROUP_PROTOCOL'), Buffer.alloc(0)) };
    }
    const sync = { memberId: request.memberId, ...instance(request.groupInstanceId), generationId: request.generationId, assignments };
    return {
      kind: 'ask',
      requests: [groupAsk('syncGroup.request', request.groupId, sync, nextId)],
      encode: ([synced]) => {
        const result = bodyOf<SyncGroupResponseMessage>(synced!);
        // The leader's user data for each member is not kept by the simulator's coordinator (README, Fidelity).
        const bytes = result.errorCode === 'NONE' ? encodeAssignment({ partitions: result.assignment }) : Buffer.alloc(0);
        return answer(code(result.errorCode), bytes);
      },
    };
  },
});

serve(apiKeys.Heartbeat.apiKey, {
  name: 'Heartbeat',
  versions: heartbeatVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeHeartbeatRequest(body, apiVersion);
    const beat = { memberId: request.memberId, ...instance(request.groupInstanceId), generationId: request.generationId };
    return {
      kind: 'ask',
      requests: [groupAsk('heartbeat.request', request.groupId, beat, nextId)],
      encode: ([beaten]) => encodeHeartbeatResponse({ throttleTimeMs: 0, errorCode: code((beaten as unknown as { body: { errorCode: KafkaErrorType } }).body.errorCode) }, apiVersion),
    };
  },
});

serve(apiKeys.LeaveGroup.apiKey, {
  name: 'LeaveGroup',
  versions: leaveGroupVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeLeaveGroupRequest(body, apiVersion);
    const members = request.members.map((m) => ({ memberId: m.memberId, ...instance(m.groupInstanceId) }));
    return {
      kind: 'ask',
      requests: [groupAsk('leaveGroup.request', request.groupId, { members }, nextId)],
      encode: ([left]) => {
        const result = (left as unknown as { body: { errorCode: KafkaErrorType; members: Array<{ memberId: string; groupInstanceId?: string; errorCode: KafkaErrorType }> } }).body;
        const wireMembers = result.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId ?? null, errorCode: code(m.errorCode) }));
        // v0-v2 carry one member and no member list: its error is the group's.
        const errorCode = apiVersion < 3 && result.errorCode === 'NONE' ? (wireMembers[0]?.errorCode ?? 0) : code(result.errorCode);
        return encodeLeaveGroupResponse({ throttleTimeMs: 0, errorCode, members: wireMembers }, apiVersion);
      },
    };
  },
});

serve(apiKeys.OffsetCommit.apiKey, {
  name: 'OffsetCommit',
  versions: offsetCommitVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeOffsetCommitRequest(body, apiVersion);
    const offsets = request.topics.flatMap(({ name, partitions }) =>
      partitions.map((p) => ({ topic: name, partition: p.partitionIndex, offset: Number(p.committedOffset), ...(p.committedMetadata === null ? {} : { metadata: p.committedMetadata }) })),
    );
    const commit = { memberId: request.memberId, generationId: request.generationId, offsets };
    return {
      kind: 'ask',
      requests: [groupAsk('offsetCommit.request', request.groupId, commit, nextId)],
      encode: ([committed]) => {
        const result = (committed as unknown as { body: { partitions: Array<{ topic: string; partition: number; errorCode: KafkaErrorType }> } }).body;
        const topics = byTopic(result.partitions).map(([name, list]) => ({ name, partitions: list.map((p) => ({ partitionIndex: p.partition, errorCode: code(p.errorCode) })) }));
        return encodeOffsetCommitResponse({ throttleTimeMs: 0, topics }, apiVersion);
      },
    };
  },
});

serve(apiKeys.OffsetFetch.apiKey, {
  name: 'OffsetFetch',
  versions: offsetFetchVersions,
  plan: ({ body, apiVersion, nextId }) => {
    const request = decodeOffsetFetchRequest(body, apiVersion);
    const partitions = request.topics?.flatMap(({ name, partitionIndexes }) => partitionIndexes.map((partition) => ({ topic: name, partition })));
    return {
      kind: 'ask',
      requests: [groupAsk('offsetFetch.request', request.groupId, partitions === undefined ? {} : { partitions }, nextId)],
      encode: ([fetched]) => {
        const result = bodyOf<OffsetFetchResponseMessage>(fetched!);
        const errorCode = code(result.errorCode);
        const topics = byTopic(result.partitions).map(([name, list]) => ({
          name,
          partitions: list.map((p) => ({ partitionIndex: p.partition, committedOffset: BigInt(p.offset), metadata: p.metadata, errorCode: 0 })),
        }));
        return encodeOffsetFetchResponse({ throttleTimeMs: 0, topics, errorCode }, apiVersion);
      },
    };
  },
});
