// What one fetch response gives poll(): Kafka's `CompletedFetch#fetchRecords` walks the batches and returns a
// record only if its offset is at or past the next fetch offset, which then moves past it. So a batch that starts
// below the position (the broker returns whole batches) gives only its records from the position on, and the
// records of one partition come out contiguous and in offset order.
import type { LogRecord } from '../../src/history/History.ts';
import type { FetchPartitionResponse } from '../../src/protocol/messages.ts';

/** The records poll() returns from `response`, at most `maxRecords`, and the position after them. */
export interface FetchedRecords {
  records: LogRecord[];
  nextPosition: number;
}

/**
 * Records of `response` from `position` on, at most `maxRecords` (max.poll.records; the rest is fetched again
 * from the new position by the next poll). A record's offset is its batch's base offset plus its index.
 */
export function fetchedRecords(
  response: Pick<FetchPartitionResponse, 'topic' | 'partition' | 'batches'>,
  position: number,
  maxRecords: number,
): FetchedRecords {
  const records: LogRecord[] = [];
  let nextPosition = position;
  for (const batch of response.batches) {
    for (let i = 0; i < batch.records.length && records.length < maxRecords; i++) {
      const offset = batch.baseOffset + i;
      if (offset < nextPosition) continue;
      const { key, value } = batch.records[i] as { key: string | null; value: string };
      records.push({ topic: response.topic, partition: response.partition, offset, key, value });
      nextPosition = offset + 1;
    }
  }
  return { records, nextPosition };
}
