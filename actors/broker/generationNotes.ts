import type { GroupMetadata } from '../coordinator/GroupMetadata.ts';
import type { GenerationNote } from '../../src/history/GroupNote.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

/**
 * The rebalance log's entry for a group change, if the change completed a rebalance: the group became Stable in
 * a generation it was not Stable in before (the leader's SyncGroup, or a load after failover does not count: it
 * is the same generation).
 */
export function generationNotes(before: GroupMetadata, after: GroupMetadata): GenerationNote[] {
  if (after.state !== 'Stable') return [];
  if (before.state === 'Stable' && before.generationId === after.generationId) return [];
  const assignments = Object.fromEntries(after.members.map((m) => [m.memberId, m.assignment.map(([topic, partition]) => topicPartitionKey(topic, partition))]));
  return [{ group: 'generation', groupId: after.groupId, generation: after.generationId, protocolName: after.protocolName, leaderId: after.leaderId ?? '', assignments }];
}
