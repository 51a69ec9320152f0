// What the reader does when a fetch or a ListOffsets for one partition fails. Whatever the error, the poll gets
// no records from that partition and the next poll tries again; some errors also say the reader's metadata is
// stale, or that its position is not in the log.
import type { KafkaErrorType } from '../../src/protocol/errors.ts';

/** How the reader reacts to a partition error. */
export type PartitionErrorHandling = 'refreshMetadata' | 'resetToEarliest' | 'retry';

// The errors after which the Java consumer asks for a metadata update (FetchCollector#handleInitializeErrors,
// OffsetFetcherUtils for ListOffsets): the broker is not the leader, or one of the two has a stale leader
// epoch (KIP-320), or the partition is not there yet. Java merely retries on UNKNOWN_LEADER_EPOCH (the broker
// is behind the reader); refreshing as well costs one metadata request and finds a newer leader sooner.
const staleMetadataErrors: ReadonlySet<KafkaErrorType> = new Set<KafkaErrorType>([
  'NOT_LEADER_OR_FOLLOWER',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'OFFSET_NOT_AVAILABLE',
]);

/**
 * The reaction to `error` on a partition. OFFSET_OUT_OF_RANGE (the position is below the log start or past the
 * log end, e.g. a position without a leader epoch after an unclean election truncated the log: one with an epoch is
 * validated first, actors/client/positionValidation.ts) resets the position as auto.offset.reset=earliest does:
 * ListOffsets(EARLIEST) to the leader, then fetch from the log start offset it answers. Kafka's consumer does this
 * silently, so records may be read again or skipped; the checkers see it.
 */
export function partitionErrorHandling(error: KafkaErrorType): PartitionErrorHandling {
  if (error === 'OFFSET_OUT_OF_RANGE') return 'resetToEarliest';
  return staleMetadataErrors.has(error) ? 'refreshMetadata' : 'retry';
}
