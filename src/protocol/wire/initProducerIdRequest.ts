// InitProducerIdRequest (API key 22), schema clients/src/main/resources/common/message/InitProducerIdRequest.json,
// v0-v1 (kafkajs 2.2.x's range). v1 is v0 again. Flexible versions start at v2; producer_id and producer_epoch, to
// resume after INVALID_PRODUCER_EPOCH (KIP-360), arrive in v3.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The InitProducerId versions this codec reads and writes. */
export const initProducerIdVersions: VersionRange = { minVersion: 0, maxVersion: 1 };

/** A decoded InitProducerIdRequest. */
export interface InitProducerIdRequest {
  /** transactional.id of a transactional producer, or null for an idempotent one (KIP-98). */
  transactionalId: string | null;
  /** transaction.timeout.ms: how long the coordinator waits before aborting an open transaction. */
  transactionTimeoutMs: number;
}

/** Reads an InitProducerIdRequest body; the whole body must be consumed. */
export function decodeInitProducerIdRequest(body: ByteReader, apiVersion: number): InitProducerIdRequest {
  requireVersionIn('decodeInitProducerIdRequest', initProducerIdVersions, apiVersion);
  const transactionalId = body.readNullableString('transactionalId');
  const transactionTimeoutMs = body.readInt32('transactionTimeoutMs');
  body.requireEnd('InitProducerIdRequest');
  return { transactionalId, transactionTimeoutMs };
}
