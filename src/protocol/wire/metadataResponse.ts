// MetadataResponse (API key 3), schema clients/src/main/resources/common/message/MetadataResponse.json, v0-v6.
// v1 adds the broker rack, controller_id and is_internal; v2 cluster_id; v3 throttle_time_ms; v4 is v3 again;
// v5 adds offline_replicas; v6 only changes when throttling happens (KIP-219). A version without a field drops it:
// all of these fields are ignorable in the schema, which is what Kafka's generated writers do with them too.
import { ByteWriter } from './ByteWriter.ts';
import { metadataVersions } from './metadataRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** A broker as the response lists it. */
export interface MetadataResponseBroker {
  nodeId: number;
  host: string;
  port: number;
  /** broker.rack, or null when unset (v1+). */
  rack: string | null;
}

/** One partition of a topic in the response. */
export interface MetadataResponsePartition {
  /** Kafka's numeric error code, 0 for none (e.g. 5 LEADER_NOT_AVAILABLE). */
  errorCode: number;
  partitionIndex: number;
  /** -1 when the partition has no leader. */
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** Replicas on brokers whose log directory is offline (v5+). */
  offlineReplicas: number[];
}

/** One topic in the response. */
export interface MetadataResponseTopic {
  /** Kafka's numeric error code, 0 for none (e.g. 3 UNKNOWN_TOPIC_OR_PARTITION). */
  errorCode: number;
  name: string;
  /** True for Kafka's own topics such as __consumer_offsets (v1+). */
  isInternal: boolean;
  partitions: MetadataResponsePartition[];
}

/** A MetadataResponse to encode. */
export interface MetadataResponse {
  /** v3+. */
  throttleTimeMs: number;
  brokers: MetadataResponseBroker[];
  /** v2+. */
  clusterId: string | null;
  /** -1 when there is no controller to name (v1+). */
  controllerId: number;
  topics: MetadataResponseTopic[];
}

/** Encodes a MetadataResponse body (without header) for `apiVersion`. */
export function encodeMetadataResponse(response: MetadataResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeMetadataResponse', metadataVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 3) writer.writeInt32(response.throttleTimeMs);
  writer.writeArray(response.brokers, (w, broker) => writeBroker(w, broker, apiVersion));
  if (apiVersion >= 2) writer.writeNullableString(response.clusterId);
  if (apiVersion >= 1) writer.writeInt32(response.controllerId);
  writer.writeArray(response.topics, (w, topic) => writeTopic(w, topic, apiVersion));
  return writer.toBuffer();
}

function writeBroker(writer: ByteWriter, broker: MetadataResponseBroker, apiVersion: number): void {
  writer.writeInt32(broker.nodeId);
  writer.writeString(broker.host);
  writer.writeInt32(broker.port);
  if (apiVersion >= 1) writer.writeNullableString(broker.rack);
}

function writeTopic(writer: ByteWriter, topic: MetadataResponseTopic, apiVersion: number): void {
  writer.writeInt16(topic.errorCode);
  writer.writeString(topic.name);
  if (apiVersion >= 1) writer.writeBoolean(topic.isInternal);
  writer.writeArray(topic.partitions, (w, partition) => writePartition(w, partition, apiVersion));
}

function writePartition(writer: ByteWriter, partition: MetadataResponsePartition, apiVersion: number): void {
  writer.writeInt16(partition.errorCode);
  writer.writeInt32(partition.partitionIndex);
  writer.writeInt32(partition.leaderId);
  writer.writeArray(partition.replicaNodes, writeNodeId);
  writer.writeArray(partition.isrNodes, writeNodeId);
  if (apiVersion >= 5) writer.writeArray(partition.offlineReplicas, writeNodeId);
}

function writeNodeId(writer: ByteWriter, nodeId: number): void {
  writer.writeInt32(nodeId);
}
