import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { JoinGroupResponse } from './CoordinatorResult.ts';

/**
 * A JoinGroup error answer (`JoinGroupResult(memberId, error)`): generation -1 (`UNKNOWN_GENERATION_ID`), no
 * protocol, no leader, no members. `memberId` is the id the client should use next ('' to start over).
 */
export function joinError(memberId: string, errorCode: Exclude<KafkaErrorType, 'NONE'>): JoinGroupResponse {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leaderId: '',
    memberId,
    members: [],
    skipAssignment: false,
  };
}
