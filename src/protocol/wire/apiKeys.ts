// The APIs kafkajs 2.2.x speaks, by Kafka's name, with each API's key and the first version that is "flexible"
// (KIP-482: compact strings and arrays, tagged fields, and the newer headers). Facts copied from the
// `apiKey` and `flexibleVersions` of Kafka's message schemas,
// clients/src/main/resources/common/message/<Name>Request.json (request and response agree on both).
// kafkajs calls FindCoordinator by its old name GroupCoordinator. ControlledShutdown is here only because its v0
// has the one irregular request header (see headerVersions.ts); kafkajs never sends it.

/** One Kafka API: its key on the wire and its first flexible version (null: no version is flexible). */
export interface ApiSpec {
  readonly name: string;
  readonly apiKey: number;
  readonly firstFlexibleVersion: number | null;
}

const api = (name: string, apiKey: number, firstFlexibleVersion: number | null): ApiSpec => ({
  name,
  apiKey,
  firstFlexibleVersion,
});

/** The APIs kafkajs 2.2.x uses, keyed by Kafka's name. */
export const apiKeys = {
  Produce: api('Produce', 0, 9),
  Fetch: api('Fetch', 1, 12),
  ListOffsets: api('ListOffsets', 2, 6),
  Metadata: api('Metadata', 3, 9),
  ControlledShutdown: api('ControlledShutdown', 7, 3),
  OffsetCommit: api('OffsetCommit', 8, 8),
  OffsetFetch: api('OffsetFetch', 9, 6),
  FindCoordinator: api('FindCoordinator', 10, 3),
  JoinGroup: api('JoinGroup', 11, 6),
  Heartbeat: api('Heartbeat', 12, 4),
  LeaveGroup: api('LeaveGroup', 13, 4),
  SyncGroup: api('SyncGroup', 14, 4),
  DescribeGroups: api('DescribeGroups', 15, 5),
  ListGroups: api('ListGroups', 16, 3),
  SaslHandshake: api('SaslHandshake', 17, null),
  ApiVersions: api('ApiVersions', 18, 3),
  CreateTopics: api('CreateTopics', 19, 5),
  DeleteTopics: api('DeleteTopics', 20, 4),
  DeleteRecords: api('DeleteRecords', 21, 2),
  InitProducerId: api('InitProducerId', 22, 2),
  AddPartitionsToTxn: api('AddPartitionsToTxn', 24, 3),
  AddOffsetsToTxn: api('AddOffsetsToTxn', 25, 3),
  EndTxn: api('EndTxn', 26, 3),
  TxnOffsetCommit: api('TxnOffsetCommit', 28, 3),
  DescribeAcls: api('DescribeAcls', 29, 2),
  CreateAcls: api('CreateAcls', 30, 2),
  DeleteAcls: api('DeleteAcls', 31, 2),
  DescribeConfigs: api('DescribeConfigs', 32, 4),
  AlterConfigs: api('AlterConfigs', 33, 2),
  SaslAuthenticate: api('SaslAuthenticate', 36, 2),
  CreatePartitions: api('CreatePartitions', 37, 2),
  DeleteGroups: api('DeleteGroups', 42, 2),
  AlterPartitionReassignments: api('AlterPartitionReassignments', 45, 0),
  ListPartitionReassignments: api('ListPartitionReassignments', 46, 0),
} as const satisfies Record<string, ApiSpec>;

const byKey = new Map<number, ApiSpec>(Object.values(apiKeys).map((spec) => [spec.apiKey, spec]));

/** The API with this key, or undefined for a key this table does not know. */
export function apiByKey(apiKey: number): ApiSpec | undefined {
  return byKey.get(apiKey);
}

/** Whether this version of the API uses the flexible encoding (KIP-482). */
export function isFlexibleVersion(api: ApiSpec, apiVersion: number): boolean {
  return api.firstFlexibleVersion !== null && apiVersion >= api.firstFlexibleVersion;
}
