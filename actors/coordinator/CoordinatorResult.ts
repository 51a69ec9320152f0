import type { JoinGroupResponse, SyncGroupResponse } from '../../src/protocol/groupMessages.ts';
import type { TopicPartition } from '../assignors/TopicPartition.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import type { GroupRecord } from './groupRecords.ts';

// What every coordinator rule returns, and the effects the machine carries out. Kafka answers JoinGroup and
// SyncGroup through callbacks parked on the member (`awaitingJoinCallback`, `awaitingSyncCallback`); here a
// parked request is an effect naming the member id, and a later rule answers it with another effect. The JoinGroup
// and SyncGroup responses themselves are wire types (src/protocol/groupMessages.ts), re-exported here.

export type { JoinGroupResponse, SyncGroupResponse } from '../../src/protocol/groupMessages.ts';

/**
 * An effect for the coordinator machine, in order:
 * - `parkJoin` / `parkSync`: keep the request being handled, under `memberId`; a later one for the same member id
 *   replaces it (Kafka overwrites the callback, and the older request is never answered).
 * - `answerJoin` / `answerSync`: answer the request parked under `memberId`, and forget it.
 * - `append`: write the records to the group's `__consumer_offsets` partition. Kafka answers the requests that
 *   wrote them only once the append is committed. An append that stores a leader's assignment names it
 *   (`stored`): the machine hands the append's outcome back to `assignmentStored` (syncGroup.ts), which alone
 *   makes the group Stable and answers the parked SyncGroups.
 */
export type CoordinatorEffect =
  | { readonly type: 'parkJoin'; readonly memberId: string }
  | { readonly type: 'answerJoin'; readonly memberId: string; readonly response: JoinGroupResponse }
  | { readonly type: 'parkSync'; readonly memberId: string }
  | { readonly type: 'answerSync'; readonly memberId: string; readonly response: SyncGroupResponse }
  | { readonly type: 'append'; readonly records: readonly GroupRecord[]; readonly stored?: StoredAssignment };

/** The leader's assignment for a generation, waiting for its GroupMetadata record to commit. */
export interface StoredAssignment {
  readonly generationId: number;
  readonly assignments: Readonly<Record<string, readonly TopicPartition[]>>;
}

/**
 * A rule's outcome: the group after the request, the answer to the request itself (null when it is parked, and
 * then a `parkJoin`/`parkSync` effect says under which member id), and the effects for everyone else.
 */
export interface CoordinatorResult<R> {
  readonly state: GroupMetadata;
  readonly response: R | null;
  readonly effects: readonly CoordinatorEffect[];
}

/** A step inside a rule: the group so far and the effects gathered so far. */
export interface Step {
  readonly group: GroupMetadata;
  readonly effects: readonly CoordinatorEffect[];
}

/** Runs `next` on the step's group and appends its effects. */
export function andThen(step: Step, next: (group: GroupMetadata) => Step): Step {
  const after = next(step.group);
  return { group: after.group, effects: [...step.effects, ...after.effects] };
}

/**
 * Turns a step into the result for a request from `memberId`: when the step answered that member's parked request
 * of this kind, the answer becomes the response; otherwise the request stays parked under the member id.
 */
export function settle<K extends 'Join' | 'Sync'>(
  step: Step,
  kind: K,
  memberId: string,
): CoordinatorResult<K extends 'Join' ? JoinGroupResponse : SyncGroupResponse> {
  type R = K extends 'Join' ? JoinGroupResponse : SyncGroupResponse;
  const answerType = `answer${kind}`;
  const index = step.effects.findIndex((effect) => effect.type === answerType && 'memberId' in effect && effect.memberId === memberId);
  if (index === -1) {
    return { state: step.group, response: null, effects: [{ type: `park${kind}`, memberId } as CoordinatorEffect, ...step.effects] };
  }
  const answer = step.effects[index] as unknown as { response: R };
  const effects = step.effects.filter((_, i) => i !== index);
  return { state: step.group, response: answer.response, effects };
}

/** The answer to a request refused before anything changed. */
export function refuse<R>(group: GroupMetadata, response: R): CoordinatorResult<R> {
  return { state: group, response, effects: [] };
}
