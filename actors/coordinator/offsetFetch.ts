import type { GroupMetadata } from './GroupMetadata.ts';

// OffsetFetch on the classic group coordinator (`GroupCoordinator#handleFetchOffsets`,
// `GroupMetadataManager#getOffsets`): answered in every state, since a group may use Kafka only to store offsets.

/** OffsetFetch request: the partitions wanted, or every committed partition when absent. */
export interface OffsetFetchRequest {
  readonly partitions?: readonly { readonly topic: string; readonly partition: number }[];
}

/** One partition's committed offset; -1 (`INVALID_OFFSET`) and metadata '' when nothing is committed. */
export interface OffsetFetchPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string;
}

/** OffsetFetch response. */
export interface OffsetFetchResponse {
  readonly errorCode: 'NONE';
  readonly partitions: readonly OffsetFetchPartition[];
}

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
