// CreateTopicsRequest (API key 19), schema clients/src/main/resources/common/message/CreateTopicsRequest.json, v0-v3
// (kafkajs 2.2.x's range). v1 adds validate_only; v2 and v3 are v1 again (their changes are in the response). v4
// lets num_partitions and replication_factor be -1 without assignments (KIP-464); flexible versions start at v5.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The CreateTopics versions this codec reads and writes. */
export const createTopicsVersions: VersionRange = { minVersion: 0, maxVersion: 3 };

/** The replicas of one partition, chosen by the client (the schema's CreatableReplicaAssignment). */
export interface CreateTopicsRequestAssignment {
  partitionIndex: number;
  /** The brokers to hold the replicas, the preferred leader first. */
  brokerIds: number[];
}

/** One topic config to set at creation (the schema's CreatableTopicConfig), e.g. `cleanup.policy`. */
export interface CreateTopicsRequestConfig {
  name: string;
  /** The value, or null for the broker's default. */
  value: string | null;
}

/** One topic to create (the schema's CreatableTopic). */
export interface CreateTopicsRequestTopic {
  name: string;
  /** The number of partitions, or -1 when `assignments` lists them. */
  numPartitions: number;
  /** The replication factor, or -1 when `assignments` lists the replicas. */
  replicationFactor: number;
  /** Empty to let the controller place the replicas. */
  assignments: CreateTopicsRequestAssignment[];
  configs: CreateTopicsRequestConfig[];
}

/** A decoded CreateTopicsRequest. */
export interface CreateTopicsRequest {
  topics: CreateTopicsRequestTopic[];
  /** How long to wait for the topics to be created before answering REQUEST_TIMED_OUT. */
  timeoutMs: number;
  /** Check the request without creating anything (v1+; false before, the schema's default). */
  validateOnly: boolean;
}

/** Reads a CreateTopicsRequest body; the whole body must be consumed. */
export function decodeCreateTopicsRequest(body: ByteReader, apiVersion: number): CreateTopicsRequest {
  requireVersionIn('decodeCreateTopicsRequest', createTopicsVersions, apiVersion);
  const topics = body.readArray('topics', readTopic);
  const timeoutMs = body.readInt32('timeoutMs');
  const validateOnly = apiVersion >= 1 ? body.readBoolean('validateOnly') : false;
  body.requireEnd('CreateTopicsRequest');
  return { topics, timeoutMs, validateOnly };
}

function readTopic(reader: ByteReader): CreateTopicsRequestTopic {
  return {
    name: reader.readString('topics[].name'),
    numPartitions: reader.readInt32('topics[].numPartitions'),
    replicationFactor: reader.readInt16('topics[].replicationFactor'),
    assignments: reader.readArray('topics[].assignments', readAssignment),
    configs: reader.readArray('topics[].configs', readConfig),
  };
}

function readAssignment(reader: ByteReader): CreateTopicsRequestAssignment {
  return {
    partitionIndex: reader.readInt32('topics[].assignments[].partitionIndex'),
    brokerIds: reader.readArray('topics[].assignments[].brokerIds', (r) => r.readInt32('topics[].assignments[].brokerIds[]')),
  };
}

function readConfig(reader: ByteReader): CreateTopicsRequestConfig {
  return {
    name: reader.readString('topics[].configs[].name'),
    value: reader.readNullableString('topics[].configs[].value'),
  };
}
