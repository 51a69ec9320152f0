// "group-not-converged": liveness after heal. Once the faults heal and the cluster goes quiet, a group with live
// members must settle: Stable, with every partition of the topics it subscribes to assigned to a member. (That
// the members then drain their lag is at-least-once's part: every record of the final read processed.)
import { checkResult, type CheckResult } from '../CheckResult.ts';

/** A group as its coordinator holds it at the end of a run. */
export interface FinalGroup {
  state: string;
  generation: number;
  /** Member id -> assigned partition keys. */
  assignments: Record<string, string[]>;
}

/** A group that did not converge: its final state (null: no coordinator holds it) and what it left unassigned. */
export interface NotConvergedCase {
  groupId: string;
  state: string | null;
  generation: number | null;
  unassigned: string[];
}

/** Checks that each group in `partitionsByGroup` ends Stable with all of its partitions assigned. */
export function groupConvergence(finalGroups: Readonly<Record<string, FinalGroup>>, partitionsByGroup: Readonly<Record<string, readonly string[]>>): CheckResult {
  const cases: NotConvergedCase[] = [];
  for (const [groupId, partitions] of Object.entries(partitionsByGroup)) {
    const group = finalGroups[groupId];
    const assigned = new Set(Object.values(group?.assignments ?? {}).flat());
    const unassigned = partitions.filter((key) => !assigned.has(key));
    if (group?.state !== 'Stable' || unassigned.length > 0) {
      cases.push({ groupId, state: group?.state ?? null, generation: group?.generation ?? null, unassigned });
    }
  }
  return checkResult('group-convergence', { 'group-not-converged': cases }, Object.keys(partitionsByGroup).length > 0);
}
