import type { AssignorMember } from './AssignmentInput.ts';
import { compareJavaStrings } from './compareJavaStrings.ts';

/**
 * Kafka's `AbstractPartitionAssignor.MemberInfo#compareTo`, the member order of the range and roundrobin assignors:
 * static members (with a `group.instance.id`) first, ordered by instance id, then dynamic members by member id.
 */
export function compareMemberInfo(
  a: Pick<AssignorMember, 'memberId' | 'groupInstanceId'>,
  b: Pick<AssignorMember, 'memberId' | 'groupInstanceId'>,
): number {
  // Ordering static members by instance id keeps their assignment stable across restarts, which hand them a
  // new member id each time (KIP-345). An empty instance id still counts as present, as Optional.of("") does.
  if (a.groupInstanceId !== undefined && b.groupInstanceId !== undefined) {
    return compareJavaStrings(a.groupInstanceId, b.groupInstanceId);
  }
  if (a.groupInstanceId !== undefined) return -1;
  if (b.groupInstanceId !== undefined) return 1;
  return compareJavaStrings(a.memberId, b.memberId);
}
