import { ArgumentError } from '../kernel/argumentError.ts';

// Kafka's error table as data (`org.apache.kafka.common.protocol.Errors`), the subset the simulator answers with.
// Brokers put the type in responses (`{ errorCode: 'NOT_ENOUGH_REPLICAS' }`); clients ask the table whether to
// retry. `retriable` is Kafka's own flag: true when the error's exception class extends `RetriableException`
// (directly or through `InvalidMetadataException` / `RefreshRetriableException`), the same test `Errors#toHtml`
// applies to print the Retriable column of the protocol guide. Codes are part of the wire protocol and never change.

/** Kafka's error table, keyed by Kafka's error name: the numeric code and whether a client may retry. */
export const kafkaErrors = {
  UNKNOWN_SERVER_ERROR: { type: 'UNKNOWN_SERVER_ERROR', code: -1, retriable: false },
  NONE: { type: 'NONE', code: 0, retriable: false },
  OFFSET_OUT_OF_RANGE: { type: 'OFFSET_OUT_OF_RANGE', code: 1, retriable: false },
  CORRUPT_MESSAGE: { type: 'CORRUPT_MESSAGE', code: 2, retriable: true },
  UNKNOWN_TOPIC_OR_PARTITION: { type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true },
  LEADER_NOT_AVAILABLE: { type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true },
  NOT_LEADER_OR_FOLLOWER: { type: 'NOT_LEADER_OR_FOLLOWER', code: 6, retriable: true },
  REQUEST_TIMED_OUT: { type: 'REQUEST_TIMED_OUT', code: 7, retriable: true },
  BROKER_NOT_AVAILABLE: { type: 'BROKER_NOT_AVAILABLE', code: 8, retriable: false },
  STALE_CONTROLLER_EPOCH: { type: 'STALE_CONTROLLER_EPOCH', code: 11, retriable: false },
  NETWORK_EXCEPTION: { type: 'NETWORK_EXCEPTION', code: 13, retriable: true },
  COORDINATOR_LOAD_IN_PROGRESS: { type: 'COORDINATOR_LOAD_IN_PROGRESS', code: 14, retriable: true },
  COORDINATOR_NOT_AVAILABLE: { type: 'COORDINATOR_NOT_AVAILABLE', code: 15, retriable: true },
  NOT_COORDINATOR: { type: 'NOT_COORDINATOR', code: 16, retriable: true },
  NOT_ENOUGH_REPLICAS: { type: 'NOT_ENOUGH_REPLICAS', code: 19, retriable: true },
  // Retriable, but the data is already in the log: a retry without idempotence duplicates it.
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: { type: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', code: 20, retriable: true },
  INVALID_REQUIRED_ACKS: { type: 'INVALID_REQUIRED_ACKS', code: 21, retriable: false },
  ILLEGAL_GENERATION: { type: 'ILLEGAL_GENERATION', code: 22, retriable: false },
  INCONSISTENT_GROUP_PROTOCOL: { type: 'INCONSISTENT_GROUP_PROTOCOL', code: 23, retriable: false },
  UNKNOWN_MEMBER_ID: { type: 'UNKNOWN_MEMBER_ID', code: 25, retriable: false },
  INVALID_SESSION_TIMEOUT: { type: 'INVALID_SESSION_TIMEOUT', code: 26, retriable: false },
  // Not retriable as a request: the member must rejoin the group, which is a different request.
  REBALANCE_IN_PROGRESS: { type: 'REBALANCE_IN_PROGRESS', code: 27, retriable: false },
  INVALID_COMMIT_OFFSET_SIZE: { type: 'INVALID_COMMIT_OFFSET_SIZE', code: 28, retriable: false },
  TOPIC_ALREADY_EXISTS: { type: 'TOPIC_ALREADY_EXISTS', code: 36, retriable: false },
  INVALID_PARTITIONS: { type: 'INVALID_PARTITIONS', code: 37, retriable: false },
  INVALID_REPLICATION_FACTOR: { type: 'INVALID_REPLICATION_FACTOR', code: 38, retriable: false },
  NOT_CONTROLLER: { type: 'NOT_CONTROLLER', code: 41, retriable: true },
  INVALID_REQUEST: { type: 'INVALID_REQUEST', code: 42, retriable: false },
  POLICY_VIOLATION: { type: 'POLICY_VIOLATION', code: 44, retriable: false },
  OUT_OF_ORDER_SEQUENCE_NUMBER: { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', code: 45, retriable: false },
  // Its exception class first extended RetriableException; current Kafka makes it a plain ApiException.
  DUPLICATE_SEQUENCE_NUMBER: { type: 'DUPLICATE_SEQUENCE_NUMBER', code: 46, retriable: false },
  INVALID_PRODUCER_EPOCH: { type: 'INVALID_PRODUCER_EPOCH', code: 47, retriable: false },
  INVALID_PRODUCER_ID_MAPPING: { type: 'INVALID_PRODUCER_ID_MAPPING', code: 49, retriable: false },
  UNKNOWN_PRODUCER_ID: { type: 'UNKNOWN_PRODUCER_ID', code: 59, retriable: false },
  FENCED_LEADER_EPOCH: { type: 'FENCED_LEADER_EPOCH', code: 74, retriable: true },
  UNKNOWN_LEADER_EPOCH: { type: 'UNKNOWN_LEADER_EPOCH', code: 75, retriable: true },
  STALE_BROKER_EPOCH: { type: 'STALE_BROKER_EPOCH', code: 77, retriable: false },
  OFFSET_NOT_AVAILABLE: { type: 'OFFSET_NOT_AVAILABLE', code: 78, retriable: true },
  MEMBER_ID_REQUIRED: { type: 'MEMBER_ID_REQUIRED', code: 79, retriable: false },
  PREFERRED_LEADER_NOT_AVAILABLE: { type: 'PREFERRED_LEADER_NOT_AVAILABLE', code: 80, retriable: true },
  GROUP_MAX_SIZE_REACHED: { type: 'GROUP_MAX_SIZE_REACHED', code: 81, retriable: false },
  FENCED_INSTANCE_ID: { type: 'FENCED_INSTANCE_ID', code: 82, retriable: false },
  PRODUCER_FENCED: { type: 'PRODUCER_FENCED', code: 90, retriable: false },
  INVALID_UPDATE_VERSION: { type: 'INVALID_UPDATE_VERSION', code: 95, retriable: false },
  DUPLICATE_BROKER_REGISTRATION: { type: 'DUPLICATE_BROKER_REGISTRATION', code: 101, retriable: false },
  BROKER_ID_NOT_REGISTERED: { type: 'BROKER_ID_NOT_REGISTERED', code: 102, retriable: false },
  INELIGIBLE_REPLICA: { type: 'INELIGIBLE_REPLICA', code: 107, retriable: false },
  NEW_LEADER_ELECTED: { type: 'NEW_LEADER_ELECTED', code: 108, retriable: false },
  FENCED_MEMBER_EPOCH: { type: 'FENCED_MEMBER_EPOCH', code: 110, retriable: false },
  STALE_MEMBER_EPOCH: { type: 'STALE_MEMBER_EPOCH', code: 113, retriable: false },
} as const satisfies Record<string, { type: string; code: number; retriable: boolean }>;

/** The name of a Kafka error in the table, e.g. `'NOT_ENOUGH_REPLICAS'`. */
export type KafkaErrorType = keyof typeof kafkaErrors;

/** One row of Kafka's error table. */
export interface KafkaError {
  readonly type: KafkaErrorType;
  readonly code: number;
  readonly retriable: boolean;
}

const errorsByCode = indexByCode(Object.values(kafkaErrors));

/** Whether Kafka marks the error retriable, i.e. a client may send the same request again. */
export function isRetriable(type: KafkaErrorType): boolean {
  if (!Object.hasOwn(kafkaErrors, type)) {
    throw new ArgumentError('isRetriable', 'type', type, 'the name of an error in kafkaErrors');
  }
  return kafkaErrors[type].retriable;
}

/** The error with Kafka's numeric `code`, or undefined when the table has no error with that code. */
export function errorByCode(code: number): KafkaError | undefined {
  return errorsByCode.get(code);
}

// Two rows sharing a code would make errorByCode ambiguous; Kafka's Errors refuses to load in that case too.
function indexByCode(errors: readonly KafkaError[]): ReadonlyMap<number, KafkaError> {
  const byCode = new Map<number, KafkaError>();
  for (const error of errors) {
    const taken = byCode.get(error.code);
    if (taken !== undefined) {
      throw new Error(`kafkaErrors: code ${error.code} is used by both ${taken.type} and ${error.type}`);
    }
    byCode.set(error.code, error);
  }
  return byCode;
}
