import type { GroupMetadata } from '../coordinator/GroupMetadata.ts';
import type { GenerationNote, ReplacedNote } from '../../src/history/GroupNote.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

/**
 * The rebalance log's entries for a group change: a static member whose instance id got a new member id, and a
 * completed rebalance, when the group became Stable in a generation it was not Stable in before (the leader's
 * SyncGroup; a load after failover does not count: it is the same generation).
 */
export function generationNotes(before: GroupMetadata, after: GroupMetadata): Array<GenerationNote | ReplacedNote> {
  const replaced: ReplacedNote[] = Object.entries(after.staticMembers).flatMap(([groupInstanceId, newMemberId]) => {
    const oldMemberId = before.staticMembers[groupInstanceId];
    if (oldMemberId === undefined || oldMemberId === newMemberId) return [];
    return [{ group: 'replaced', groupId: after.groupId, generation: after.generationId, groupInstanceId, oldMemberId, newMemberId }];
  });
  if (after.state !== 'Stable') return replaced;
  if (before.state === 'Stable' && before.generationId === after.generationId) return replaced;
  const assignments = Object.fromEntries(after.members.map((m) => [m.memberId, m.assignment.map(([topic, partition]) => topicPartitionKey(topic, partition))]));
  return [...replaced, { group: 'generation', groupId: after.groupId, generation: after.generationId, protocolName: after.protocolName, leaderId: after.leaderId ?? '', assignments }];
}
