import { describe, expect, it } from 'vitest';
import {
  applyFetchResponse,
  applyListOffsetsResponse,
  isRoundCaughtUp,
  isRoundComplete,
  pendingFor,
  planPoll,
  readerPartition,
  roundRecords,
  type ConsumptionState,
} from '../../../actors/reader/index.ts';
import type { FetchResponse, ListOffsetsResponse } from '../../../src/protocol/messages.ts';
import { batchesOf } from './fakeBroker.ts';

const state: ConsumptionState = {
  assignment: [readerPartition('t', 0), readerPartition('t', 1), readerPartition('t', 2)],
  positions: { 't-0': 2, 't-1': 0, 't-2': 5 },
  awaitingReset: ['t-1'],
};
const leaders = { 't-0': { leader: 1, leaderEpoch: 3 }, 't-1': { leader: 2, leaderEpoch: 0 }, 't-2': { leader: -1, leaderEpoch: 1 } };
const plan = planPoll({ state, leaders, operationId: 4, nextCorrelationId: 10, maxRecords: 500 });
const input = { state, round: plan.round, leaders, maxRecords: 500 };

function fetchResponse(fields: Partial<FetchResponse> = {}): FetchResponse & { from: string } {
  return {
    type: 'fetch.response',
    correlationId: 10,
    topic: 't',
    partition: 0,
    highWatermark: 6,
    logStartOffset: 0,
    batches: batchesOf('v', 0, 6, 3),
    from: 'broker-1',
    ...fields,
  };
}

describe('planPoll', () => {
  it('sends a consumer fetch to each leader, ListOffsets(EARLIEST) for a partition awaiting reset, nothing without a leader', () => {
    expect(plan.requests).toEqual([
      {
        to: 'broker-1',
        message: {
          type: 'fetch.request',
          correlationId: 10,
          replicaId: -1,
          replicaEpoch: -1,
          topic: 't',
          partition: 0,
          fetchOffset: 2,
          currentLeaderEpoch: 3,
          lastFetchedEpoch: -1,
          maxRecords: 500,
        },
      },
      {
        to: 'broker-2',
        message: { type: 'listOffsets.request', correlationId: 11, topic: 't', partition: 1, timestamp: -2, currentLeaderEpoch: 0 },
      },
    ]);
    expect(plan.nextCorrelationId).toBe(12);
    expect(plan.round.operationId).toBe(4);
    expect(isRoundComplete(plan.round)).toBe(false);
  });
});

describe('applying answers', () => {
  it('matches answers by correlation id, sender and kind, and ignores the rest', () => {
    expect(pendingFor(plan.round, fetchResponse())).toBeDefined();
    expect(pendingFor(plan.round, fetchResponse({ correlationId: 9 }))).toBeUndefined();
    expect(pendingFor(plan.round, { ...fetchResponse(), from: 'broker-2' })).toBeUndefined();
    expect(pendingFor(plan.round, { ...fetchResponse(), correlationId: 11, from: 'broker-2' })).toBeUndefined();
  });

  it('takes the records from the position on and advances it', () => {
    const outcome = applyFetchResponse(input, fetchResponse());
    expect(outcome.state.positions['t-0']).toBe(6);
    expect(roundRecords(outcome.round, state.assignment).map((r) => r.offset)).toEqual([2, 3, 4, 5]);
    expect(outcome.round.caughtUp).toEqual([]);
    expect(Object.keys(outcome.round.pending)).toEqual(['11']);
  });

  it('counts a partition caught up only when its current leader returns nothing at or past the high watermark', () => {
    const caughtUp = applyFetchResponse(input, fetchResponse({ highWatermark: 2, batches: [] }));
    expect(caughtUp.round.caughtUp).toEqual(['t-0']);
    const behind = applyFetchResponse(input, fetchResponse({ highWatermark: 3, batches: [] }));
    expect(behind.round.caughtUp).toEqual([]);
    const deposed = applyFetchResponse({ ...input, leaders: { ...leaders, 't-0': { leader: 2, leaderEpoch: 4 } } }, fetchResponse({ highWatermark: 2, batches: [] }));
    expect(deposed.round.caughtUp).toEqual([]);
  });

  it('asks for metadata on NOT_LEADER_OR_FOLLOWER and awaits a reset on OFFSET_OUT_OF_RANGE, returning no records', () => {
    const notLeader = applyFetchResponse(input, fetchResponse({ errorCode: 'NOT_LEADER_OR_FOLLOWER', batches: [] }));
    expect(notLeader.refreshMetadata).toBe(true);
    expect(notLeader.state).toBe(state);
    const outOfRange = applyFetchResponse(input, fetchResponse({ errorCode: 'OFFSET_OUT_OF_RANGE', batches: [] }));
    expect(outOfRange.refreshMetadata).toBe(false);
    expect(outOfRange.state.awaitingReset).toEqual(['t-1', 't-0']);
    expect(outOfRange.state.positions).toEqual(state.positions);
  });

  it('sets the position to the log start ListOffsets answers, and ends the reset', () => {
    const answer: ListOffsetsResponse & { from: string } = {
      type: 'listOffsets.response',
      correlationId: 11,
      topic: 't',
      partition: 1,
      offset: 3,
      from: 'broker-2',
    };
    const outcome = applyListOffsetsResponse(input, answer);
    expect(outcome.state.positions['t-1']).toBe(3);
    expect(outcome.state.awaitingReset).toEqual([]);
    const failed = applyListOffsetsResponse(input, { ...answer, errorCode: 'FENCED_LEADER_EPOCH', offset: -1 });
    expect(failed.state.awaitingReset).toEqual(['t-1']);
    expect(failed.refreshMetadata).toBe(true);
  });

  it('stops at an answer that names another partition than its request', () => {
    expect(() => applyFetchResponse(input, fetchResponse({ partition: 1 }))).toThrow(/names t-1, the request was for t-0/);
  });

  it('is complete when every request is answered, caught up when every partition is', () => {
    const a = applyFetchResponse(input, fetchResponse({ highWatermark: 2, batches: [] }));
    const b = applyListOffsetsResponse(
      { ...input, state: a.state, round: a.round },
      { type: 'listOffsets.response', correlationId: 11, topic: 't', partition: 1, offset: 0, from: 'broker-2' },
    );
    expect(isRoundComplete(b.round)).toBe(true);
    expect(isRoundCaughtUp(b.round, state.assignment)).toBe(false);
    expect(isRoundCaughtUp(b.round, state.assignment.slice(0, 1))).toBe(true);
  });
});
