// How many bytes records and batches count for, the one measure the producer's limits (batch.size,
// max.request.size), the log and the fetch limits (fetch.max.bytes, max.partition.fetch.bytes,
// replica.fetch.max.bytes) all use.

/** Bytes of a v2 record batch header (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD`); every batch starts with them. */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/**
 * Bytes a record costs beyond its key and value: Kafka's upper bound `DefaultRecord.MAX_RECORD_OVERHEAD` (the
 * varint length, attributes, timestamp and offset deltas, key and value lengths, header count). Kafka writes
 * varints, so real records are a little smaller; the simulator counts this fixed bound so sizes are exact and easy
 * to reason about, and records carry no headers.
 */
export const RECORD_OVERHEAD_BYTES = 21;

/** The bytes a record adds to a batch: UTF-8 length of key and value plus RECORD_OVERHEAD_BYTES. */
export function recordSizeBytes(key: string | null, value: string | null): number {
  return utf8Length(key ?? '') + utf8Length(value ?? '') + RECORD_OVERHEAD_BYTES;
}

/** The bytes of a batch holding `records`: the header plus each record. */
export function batchSizeBytes(records: ReadonlyArray<{ readonly key: string | null; readonly value: string | null }>): number {
  let size = RECORD_BATCH_OVERHEAD_BYTES;
  for (const record of records) size += recordSizeBytes(record.key, record.value);
  return size;
}

// The UTF-8 byte length of a string without encoding it: a lone surrogate counts as U+FFFD (3 bytes), as
// TextEncoder writes it.
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
