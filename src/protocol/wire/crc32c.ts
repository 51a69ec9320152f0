// CRC-32C (Castagnoli), the checksum of RecordBatch v2 (Kafka's `org.apache.kafka.common.utils.Crc32C`; KIP-98
// chose it over the CRC-32 of the older message formats because CPUs compute it in hardware).
// @chainsafe/fast-crc32c uses the prebuilt binary of @node-rs/crc32 when one loads on this platform and answers
// its known-answer check, and its own table-driven JavaScript otherwise; both give the same value, so the choice
// never shows in a simulation's bytes.
import fastCrc32c from '@chainsafe/fast-crc32c';

/** The CRC-32C of `bytes`, as an unsigned 32-bit integer: the value a batch's `crc` field holds. */
export function crc32c(bytes: Uint8Array): number {
  return fastCrc32c.calculate(bytes) >>> 0;
}
