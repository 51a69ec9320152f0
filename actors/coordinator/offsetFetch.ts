import type { OffsetFetchRequest, OffsetFetchResponse } from '../../src/protocol/groupMessages.ts';
import type { GroupMetadata } from './GroupMetadata.ts';

// OffsetFetch on the classic group coordinator (`GroupCoordinator#handleFetchOffsets`,
// `GroupMetadataManager#getOffsets`): answered in every state, since a group may use Kafka only to store offsets.
// The request and response are wire types (src/protocol/groupMessages.ts), re-exported here.

export type { OffsetFetchPartition, OffsetFetchRequest, OffsetFetchResponse } from '../../src/protocol/groupMessages.ts';

/** The committed offsets of the requested partitions, -1 for those without one (and for every one of a Dead group). */
export function fetchOffsets(group: GroupMetadata, request: OffsetFetchRequest): OffsetFetchResponse {
  const wanted = request.partitions ?? committedPartitions(group);
  const partitions = wanted.map(({ topic, partition }) => {
    const committed = group.state === 'Dead' ? undefined : group.offsets[topic]?.[partition];
    return { topic, partition, offset: committed?.offset ?? -1, metadata: committed?.metadata ?? '' };
  });
  return { errorCode: 'NONE', partitions };
}

function committedPartitions(group: GroupMetadata): { topic: string; partition: number }[] {
  if (group.state === 'Dead') return [];
  return Object.entries(group.offsets).flatMap(([topic, byPartition]) =>
    Object.keys(byPartition).map((partition) => ({ topic, partition: Number(partition) })),
  );
}
