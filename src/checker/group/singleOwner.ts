// "double-ownership": two members of a group hold the same partition at once. Kafka's group protocol hands each
// partition to exactly one member per generation (ConsumerPartitionAssignor); the eager protocol revokes
// everything before rejoining and the cooperative one (KIP-429) revokes a moving partition in one generation and
// assigns it in the next, so no two members of one generation ever hold it at once, and a member that has
// rejoined a newer generation never still holds, from its older one, a partition the newer one gave to someone
// else (the cooperative protocol's old owner keeps consuming what it retains until its SyncGroup answer comes,
// which is why the assignor withholds a moving partition for a rebalance).
// A member of an older generation that is not in the newer one conflicts with nobody: a zombie still working in
// an older generation is not in the current one, and keeping it from doing harm is commit fencing's job (see
// staleCommits.ts). Nor does a static member whose member id the coordinator has given away (`replaced`,
// KIP-345): it is fenced, no longer a member.
import type { GroupLog } from '../../history/GroupNote.ts';
import { checkResult, type CheckResult } from '../CheckResult.ts';

/**
 * One partition owned by two nodes of the same group at once, e.g. `{ groupId: 'billing', partition: 'orders-1',
 * generation: 3, nodes: ['c1', 'c2'], memberIds: ['m-1', 'm-2'], timeMs: 40 }`: `nodes[0]` already owned it when
 * `nodes[1]` took it at `timeMs`, both in generation 3, or one from an older generation after rejoining generation 3.
 */
export interface DoubleOwnershipCase {
  groupId: string;
  partition: string;
  generation: number;
  nodes: [string, string];
  memberIds: [string, string];
  timeMs: number;
}

/** A node's current ownership, from its last `owned` entry. */
interface Snapshot {
  groupId: string;
  memberId: string;
  generation: number;
  partitions: ReadonlySet<string>;
}

/** Finds partitions owned by two members of one generation at once. */
export function singleOwner(log: GroupLog): CheckResult {
  const snapshots = new Map<string, Snapshot>();
  /** `groupId memberId` of member ids a static replacement took away. */
  const replaced = new Set<string>();
  const reported = new Set<string>();
  /** `groupId generation` -> the member ids of that generation, from the coordinator's completed rebalances. */
  const generationMembers = new Map<string, Set<string>>();
  const rejoined = (older: Snapshot, newer: Snapshot) => generationMembers.get(`${newer.groupId} ${newer.generation}`)?.has(older.memberId) === true;
  const cases: DoubleOwnershipCase[] = [];
  let evidence = false;
  for (const entry of log) {
    if (entry.group === 'down') snapshots.delete(entry.node);
    if (entry.group === 'generation') {
      const key = `${entry.groupId} ${entry.generation}`;
      generationMembers.set(key, new Set([...(generationMembers.get(key) ?? []), ...Object.keys(entry.assignments)]));
    }
    if (entry.group === 'replaced') {
      replaced.add(`${entry.groupId} ${entry.oldMemberId}`);
      for (const [node, snapshot] of snapshots) {
        if (snapshot.groupId === entry.groupId && snapshot.memberId === entry.oldMemberId) snapshots.set(node, { ...snapshot, partitions: new Set() });
      }
    }
    if (entry.group !== 'owned') continue;
    evidence ||= entry.partitions.length > 0;
    // A snapshot without a generation (-1: not yet, or no longer, in the group), or of a replaced member id, owns
    // nothing as far as the group is concerned.
    const member = entry.generation >= 0 && !replaced.has(`${entry.groupId} ${entry.memberId}`);
    const partitions = new Set(member ? entry.partitions : []);
    const mine: Snapshot = { groupId: entry.groupId, memberId: entry.memberId, generation: entry.generation, partitions };
    snapshots.set(entry.node, mine);
    for (const [other, theirs] of snapshots) {
      if (other === entry.node || theirs.groupId !== mine.groupId) continue;
      // Two generations conflict only when the member of the older one has rejoined the newer one.
      if (theirs.generation !== mine.generation && !(theirs.generation < mine.generation ? rejoined(theirs, mine) : rejoined(mine, theirs))) continue;
      const generation = Math.max(theirs.generation, mine.generation);
      for (const partition of partitions) {
        if (!theirs.partitions.has(partition)) continue;
        const pair = [other, entry.node].sort().join('\u0000');
        const id = [mine.groupId, generation, partition, pair].join('\u0000');
        if (reported.has(id)) continue;
        reported.add(id);
        cases.push({
          groupId: mine.groupId,
          partition,
          generation,
          nodes: [other, entry.node],
          memberIds: [theirs.memberId, mine.memberId],
          timeMs: entry.timeMs,
        });
      }
    }
  }
  return checkResult('single-owner', { 'double-ownership': cases }, evidence);
}
