import { describe, expect, it } from 'vitest';
import {
  emptyPositionValidation,
  failValidations,
  fetchablePositions,
  forgetPositions,
  isAwaitingValidation,
  onOffsetsForLeaderEpochResponse,
  recordConsumedEpochs,
  sendValidations,
  validatePositionsForCurrentLeaders,
  type PositionValidation,
} from '../../../actors/client/positionValidation.ts';
import type { PartitionLeaders } from '../../../actors/client/metadata.ts';
import type { OffsetForLeaderPartitionResult, OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse } from '../../../src/protocol/messages.ts';

const oldLeaders: PartitionLeaders = { 't-0': { leader: 1, leaderEpoch: 0 }, 't-1': { leader: 2, leaderEpoch: 0 } };
const newLeaders: PartitionLeaders = { 't-0': { leader: 3, leaderEpoch: 1 }, 't-1': { leader: 2, leaderEpoch: 0 } };
const positions = { 't-0': 8, 't-1': 4 };
const plan = { nowMs: 1_000, nextCorrelationId: 40, requestTimeoutMs: 30_000, canSendTo: (_node: number) => true };

/** sendValidations through a network layer that hands out correlation ids from `nextCorrelationId` and records the sends. */
function planValidations(v: PositionValidation, at: Record<string, number>, options: typeof plan) {
  const requests: Array<{ node: number; message: OffsetsForLeaderEpochRequest }> = [];
  let nextCorrelationId = options.nextCorrelationId;
  const send = (node: number, message: (correlationId: number) => OffsetsForLeaderEpochRequest) => {
    requests.push({ node, message: message(nextCorrelationId) });
    return nextCorrelationId++;
  };
  return { validation: sendValidations(v, at, { ...options, send }), requests, nextCorrelationId };
}

/** t-0 and t-1 consumed up to their positions in epoch 0; then metadata names a new leader for t-0 (epoch 1). */
function afterLeaderChange(): PositionValidation {
  const consumed = recordConsumedEpochs(emptyPositionValidation(), { 't-0': 0, 't-1': 0 }, oldLeaders);
  return validatePositionsForCurrentLeaders(consumed, newLeaders).validation;
}

/** The validation of t-0 sent, and `answer` for it from broker 3. */
function answered(answer: Partial<OffsetForLeaderPartitionResult>, options: { hasResetPolicy?: boolean; positions?: Record<string, number> } = {}) {
  const sent = planValidations(afterLeaderChange(), positions, plan);
  const response: OffsetsForLeaderEpochResponse & { from: string } = {
    type: 'offsetsForLeaderEpoch.response',
    correlationId: 40,
    partitions: [{ topic: 't', partition: 0, leaderEpoch: 0, endOffset: 8, ...answer }],
    from: 'broker-3',
  };
  return onOffsetsForLeaderEpochResponse(sent.validation, response, options.positions ?? positions, { nowMs: 1_010, retryBackoffMs: 100, hasResetPolicy: options.hasResetPolicy ?? true });
}

describe('positionValidation: when a position awaits validation', () => {
  it('a consumed position remembers the epoch of its last record and the leader it was read under', () => {
    const v = recordConsumedEpochs(emptyPositionValidation(), { 't-0': 0 }, oldLeaders);
    expect(v.epochs['t-0']).toEqual({ fetchState: 'fetching', offsetEpoch: 0, currentLeader: { leader: 1, leaderEpoch: 0 } });
    // A later record in a newer batch epoch moves the offsetEpoch, not the leader.
    expect(recordConsumedEpochs(v, { 't-0': 2 }, newLeaders).epochs['t-0']).toEqual({ fetchState: 'fetching', offsetEpoch: 2, currentLeader: { leader: 1, leaderEpoch: 0 } });
  });

  it('only a position whose leader or leader epoch changed in metadata awaits validation, and stops being fetchable', () => {
    const consumed = recordConsumedEpochs(emptyPositionValidation(), { 't-0': 0, 't-1': 0 }, oldLeaders);
    const { validation, awaiting } = validatePositionsForCurrentLeaders(consumed, newLeaders);
    expect(awaiting).toEqual(['t-0']);
    expect(isAwaitingValidation(validation, 't-0')).toBe(true);
    expect(isAwaitingValidation(validation, 't-1')).toBe(false);
    expect(fetchablePositions(positions, validation)).toEqual({ 't-1': 4 });
    expect(fetchablePositions(positions, consumed)).toBe(positions);
  });

  it('metadata without a leader for the partition leaves the position as it is', () => {
    const consumed = recordConsumedEpochs(emptyPositionValidation(), { 't-0': 0 }, oldLeaders);
    expect(validatePositionsForCurrentLeaders(consumed, { 't-0': { leader: -1, leaderEpoch: 1 } }).awaiting).toEqual([]);
  });

  it('a position without an epoch (a seek, a reset, a committed offset) is not validated', () => {
    const consumed = recordConsumedEpochs(emptyPositionValidation(), { 't-0': 0 }, oldLeaders);
    const seeked = forgetPositions(consumed, ['t-0']);
    expect(validatePositionsForCurrentLeaders(seeked, newLeaders).awaiting).toEqual([]);
    // Nor one read from batches without a leader epoch.
    expect(recordConsumedEpochs(consumed, { 't-0': -1 }, oldLeaders).epochs).toEqual({});
  });
});

describe('positionValidation: OffsetsForLeaderEpoch requests', () => {
  it("asks the new leader where the position's epoch ends, fenced by the leader epoch it expects, once until answered", () => {
    const sent = planValidations(afterLeaderChange(), positions, plan);
    expect(sent.requests).toEqual([
      {
        node: 3,
        message: { type: 'offsetsForLeaderEpoch.request', correlationId: 40, replicaId: -1, partitions: [{ topic: 't', partition: 0, leaderEpoch: 0, currentLeaderEpoch: 1 }] },
      },
    ]);
    expect(sent.nextCorrelationId).toBe(41);
    expect(planValidations(sent.validation, positions, { ...plan, nowMs: 2_000, nextCorrelationId: 41 }).requests).toEqual([]);
    // Not before request.timeout.ms (the network client times the request out, and fails it, then).
    expect(planValidations(sent.validation, positions, { ...plan, nowMs: 30_999, nextCorrelationId: 41 }).requests).toEqual([]);
    expect(planValidations(sent.validation, positions, { ...plan, nowMs: 31_000, nextCorrelationId: 41 }).requests).toHaveLength(1);
  });

  it('sends nothing to a leader the client keeps off (reconnect backoff)', () => {
    expect(planValidations(afterLeaderChange(), positions, { ...plan, canSendTo: (node: number) => node !== 3 }).requests).toEqual([]);
  });
});

describe('positionValidation: the answer (SubscriptionState#maybeCompleteValidation)', () => {
  it('an epoch that ends at or past the position: the position stands and fetching resumes', () => {
    const outcome = answered({ endOffset: 8 });
    expect(outcome.matched).toBe(true);
    expect(outcome.validation.epochs['t-0']).toEqual({ fetchState: 'fetching', offsetEpoch: 0, currentLeader: { leader: 3, leaderEpoch: 1 } });
    expect([outcome.seeks, outcome.resets, outcome.truncations]).toEqual([[], [], []]);
    expect(outcome.validation.inFlight).toEqual({});
  });

  it('an epoch that ends below the position, with a reset policy: the position moves back there, under the epoch answered', () => {
    const outcome = answered({ leaderEpoch: 0, endOffset: 5 });
    expect(outcome.seeks).toEqual([{ key: 't-0', fetchOffset: 8, offsetEpoch: 0, divergentOffset: 5, divergentEpoch: 0 }]);
    expect(outcome.validation.epochs['t-0']).toEqual({ fetchState: 'fetching', offsetEpoch: 0, currentLeader: { leader: 3, leaderEpoch: 1 } });
    expect(outcome.truncations).toEqual([]);
  });

  it('an epoch that ends below the position, with auto.offset.reset=none: a LogTruncation, the position stays', () => {
    const outcome = answered({ leaderEpoch: 0, endOffset: 5 }, { hasResetPolicy: false });
    expect(outcome.truncations).toEqual([{ key: 't-0', fetchOffset: 8, offsetEpoch: 0, divergentOffset: 5, divergentEpoch: 0 }]);
    expect(outcome.seeks).toEqual([]);
    expect(isAwaitingValidation(outcome.validation, 't-0')).toBe(true);
  });

  it('an epoch the leader cannot place (-1): reset by policy, or a LogTruncation of unknown extent', () => {
    const reset = answered({ leaderEpoch: -1, endOffset: -1 });
    expect(reset.resets).toEqual([{ key: 't-0', fetchOffset: 8, offsetEpoch: 0, divergentOffset: null, divergentEpoch: null }]);
    expect(reset.validation.epochs['t-0']).toBeUndefined();
    const none = answered({ leaderEpoch: -1, endOffset: -1 }, { hasResetPolicy: false });
    expect(none.truncations).toEqual([{ key: 't-0', fetchOffset: 8, offsetEpoch: 0, divergentOffset: null, divergentEpoch: null }]);
  });

  it('an answer for a position that moved since the request left is ignored', () => {
    const outcome = answered({ leaderEpoch: 0, endOffset: 5 }, { positions: { 't-0': 9, 't-1': 4 } });
    expect([outcome.seeks, outcome.resets, outcome.truncations]).toEqual([[], [], []]);
    expect(isAwaitingValidation(outcome.validation, 't-0')).toBe(true);
  });

  it('a partition error asks for metadata and retries after retry.backoff.ms', () => {
    const outcome = answered({ errorCode: 'FENCED_LEADER_EPOCH', leaderEpoch: -1, endOffset: -1 });
    expect(outcome.refreshMetadata).toBe(true);
    expect(outcome.validation.epochs['t-0']).toMatchObject({ fetchState: 'awaitValidation', nextRetryMs: 1_110 });
    expect(planValidations(outcome.validation, positions, { ...plan, nowMs: 1_109 }).requests).toEqual([]);
    expect(planValidations(outcome.validation, positions, { ...plan, nowMs: 1_110 }).requests.length).toBe(1);
  });

  it('an answer from another broker, or to another request, is not matched', () => {
    const sent = planValidations(afterLeaderChange(), positions, plan);
    const response = { type: 'offsetsForLeaderEpoch.response' as const, correlationId: 40, partitions: [], from: 'broker-1' };
    expect(onOffsetsForLeaderEpochResponse(sent.validation, response, positions, { nowMs: 0, retryBackoffMs: 100, hasResetPolicy: true }).matched).toBe(false);
  });

  it('a broken connection fails the validations in flight there, retried after retry.backoff.ms', () => {
    const sent = planValidations(afterLeaderChange(), positions, plan);
    const failed = failValidations(sent.validation, 3, 2_000, 100);
    expect(failed.inFlight).toEqual({});
    expect(failed.epochs['t-0']).toMatchObject({ fetchState: 'awaitValidation', nextRetryMs: 2_100 });
    expect(failValidations(sent.validation, 1, 2_000, 100)).toBe(sent.validation);
  });
});
