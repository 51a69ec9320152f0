// FindCoordinatorRequest (API key 10), schema clients/src/main/resources/common/message/FindCoordinatorRequest.json,
// v0-v2 (kafkajs 2.2.x's range, where it is still called GroupCoordinator). v1 adds key_type; v2 is v1 again.
// Flexible versions start at v3, and v4 replaces the single key with a batch of coordinator_keys (KIP-699).
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The FindCoordinator versions this codec reads and writes. */
export const findCoordinatorVersions: VersionRange = { minVersion: 0, maxVersion: 2 };

/** A decoded FindCoordinatorRequest. */
export interface FindCoordinatorRequest {
  /** The group id, or the transactional id when keyType is 1. */
  key: string;
  /** 0 GROUP, 1 TRANSACTION (Kafka's FindCoordinatorRequest.CoordinatorType); 0 before v1. */
  keyType: number;
}

/** Reads a FindCoordinatorRequest body; the whole body must be consumed. */
export function decodeFindCoordinatorRequest(body: ByteReader, apiVersion: number): FindCoordinatorRequest {
  requireVersionIn('decodeFindCoordinatorRequest', findCoordinatorVersions, apiVersion);
  const key = body.readString('key');
  // Before v1 the field is absent and takes the schema's default, 0: v0 can only look up group coordinators.
  const keyType = apiVersion >= 1 ? body.readInt8('keyType') : 0;
  body.requireEnd('FindCoordinatorRequest');
  return { key, keyType };
}
