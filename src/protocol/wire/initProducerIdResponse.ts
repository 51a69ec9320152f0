// InitProducerIdResponse (API key 22), schema clients/src/main/resources/common/message/InitProducerIdResponse.json,
// v0-v1. v1 only changes when throttling happens (KIP-219). Flexible versions start at v2.
import { ByteWriter } from './ByteWriter.ts';
import { initProducerIdVersions } from './initProducerIdRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** An InitProducerIdResponse to encode. */
export interface InitProducerIdResponse {
  throttleTimeMs: number;
  /** Kafka's numeric error code, 0 for none (e.g. 15 COORDINATOR_NOT_AVAILABLE, 51 CONCURRENT_TRANSACTIONS). */
  errorCode: number;
  /** The producer id assigned, or -1 with an error. */
  producerId: bigint;
  /** The epoch of that producer id, bumped each time a transactional producer initialises; -1 with an error. */
  producerEpoch: number;
}

/** Encodes an InitProducerIdResponse body (without header) for `apiVersion`. */
export function encodeInitProducerIdResponse(response: InitProducerIdResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeInitProducerIdResponse', initProducerIdVersions, apiVersion);
  const writer = new ByteWriter();
  writer.writeInt32(response.throttleTimeMs);
  writer.writeInt16(response.errorCode);
  writer.writeInt64(response.producerId);
  writer.writeInt16(response.producerEpoch);
  return writer.toBuffer();
}
