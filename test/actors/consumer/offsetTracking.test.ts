import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../src/history/History.ts';
import { applyCommitResponse, autoCommitDone, commitRequest, isAutoCommitDue, offsetsToCommit } from '../../../actors/consumer/offsetCommits.ts';
import {
  applyLatestOffset,
  applyOffsetFetch,
  emptyOffsetTracking,
  hasPosition,
  onPartitionsAssigned,
  recordPolled,
  recordProcessed,
  resetOutOfRange,
  type OffsetTracking,
} from '../../../actors/consumer/offsetTracking.ts';
import { isRejoinNeeded, startJoin } from '../../../actors/consumer/membership.ts';
import { onGroupError } from '../../../actors/consumer/membershipResponses.ts';
import { configWith, eagerConfig, stableMember } from './consumerFixtures.ts';

const record = (offset: number, partition = 0): LogRecord => ({ topic: 't', partition, offset, key: null, value: `v${offset}` });

/** Partition t-0 assigned, its committed offset answered as `committed` (-1: none). */
function assignedAt(committed: number, reset: 'earliest' | 'latest' | 'none' = 'earliest') {
  const assigned = onPartitionsAssigned(emptyOffsetTracking(0, eagerConfig), [['t', 0]]);
  expect(assigned.effects).toEqual([{ type: 'offsetFetch', request: { partitions: [{ topic: 't', partition: 0 }] } }]);
  expect(hasPosition(assigned.state, 't-0')).toBe(false);
  return applyOffsetFetch(assigned.state, { errorCode: 'NONE', partitions: [{ topic: 't', partition: 0, offset: committed, metadata: '' }] }, reset);
}

describe('starting positions', () => {
  it('starts at the committed offset when there is one', () => {
    expect(assignedAt(5).state.positions).toEqual({ 't-0': 5 });
  });

  it('starts at 0 under auto.offset.reset=earliest when nothing is committed', () => {
    const { state, effects } = assignedAt(-1, 'earliest');
    expect(state.positions).toEqual({ 't-0': 0 });
    expect(effects).toEqual([]);
  });

  it('asks the leader for the high watermark under auto.offset.reset=latest, and starts there', () => {
    const { state, effects } = assignedAt(-1, 'latest');
    expect(effects).toEqual([{ type: 'listOffsets', topic: 't', partition: 0, timestamp: -1 }]);
    expect(hasPosition(state, 't-0')).toBe(false);
    expect(applyLatestOffset(state, 't-0', 42).positions).toEqual({ 't-0': 42 });
  });

  it('fails under auto.offset.reset=none when nothing is committed', () => {
    expect(assignedAt(-1, 'none').effects).toEqual([{ type: 'noOffsetForPartition', partitions: ['t-0'] }]);
  });
});

describe('a position outside the log (OFFSET_OUT_OF_RANGE)', () => {
  // Before the request plane, every OFFSET_OUT_OF_RANGE went back to offset 0 whatever auto.offset.reset said.
  it('asks for the log start under earliest and the high watermark under latest (SubscriptionState#requestOffsetReset)', () => {
    const at = assignedAt(5).state;
    expect(resetOutOfRange(at, 't-0', 'earliest').effects).toEqual([{ type: 'listOffsets', topic: 't', partition: 0, timestamp: -2 }]);
    const latest = resetOutOfRange(at, 't-0', 'latest');
    expect(latest.effects).toEqual([{ type: 'listOffsets', topic: 't', partition: 0, timestamp: -1 }]);
    expect(applyLatestOffset(latest.state, 't-0', 90).positions).toEqual({ 't-0': 90 });
  });

  it('fails under none: poll() throws (OffsetOutOfRangeException)', () => {
    expect(resetOutOfRange(assignedAt(5).state, 't-0', 'none').effects).toEqual([{ type: 'noOffsetForPartition', partitions: ['t-0'] }]);
  });
});

describe('what a commit stores', () => {
  function polledAndPartlyProcessed(): OffsetTracking {
    let t = recordPolled(assignedAt(5).state, [record(5), record(6), record(7)]);
    t = recordProcessed(t, record(5));
    return recordProcessed(t, record(6));
  }

  it('commits the last processed offset + 1, not the polled position', () => {
    expect(offsetsToCommit(polledAndPartlyProcessed())).toEqual({ 't-0': 7 });
  });

  it('commits the polled position under the commit-before-processing weakening (C4)', () => {
    expect(offsetsToCommit(polledAndPartlyProcessed(), { commitBeforeProcessing: true })).toEqual({ 't-0': 8 });
  });

  it('has nothing to commit once the processed position is committed', () => {
    const t = polledAndPartlyProcessed();
    const request = commitRequest(stableMember([['t', 0]]), offsetsToCommit(t), [{ topic: 't', partition: 0 }], eagerConfig);
    expect(request).toMatchObject({ memberId: 'c1-1', generationId: 3, offsets: [{ topic: 't', partition: 0, offset: 7 }] });
    const outcome = applyCommitResponse(t, request!, { partitions: [{ topic: 't', partition: 0, errorCode: 'NONE' }] });
    expect(outcome.committed).toEqual({ 't-0': 7 });
    expect(offsetsToCommit(outcome.state)).toEqual({});
  });

  it('refuses to process records out of offset order', () => {
    const t = recordProcessed(recordPolled(assignedAt(5).state, [record(5), record(6)]), record(6));
    expect(() => recordProcessed(t, record(5))).toThrow(/out of offset order/);
  });

  it('does not commit from a member that is not STABLE (Kafka fails it locally)', () => {
    const member = stableMember([['t', 0]], { state: 'PREPARING_REBALANCE' });
    expect(commitRequest(member, { 't-0': 7 }, [{ topic: 't', partition: 0 }], eagerConfig)).toBeNull();
  });
});

describe('fenced commits', () => {
  it('marks a commit refused with ILLEGAL_GENERATION as fenced; the member resets and rejoins, losing its partitions', () => {
    const t = recordProcessed(recordPolled(assignedAt(0).state, [record(0)]), record(0));
    const member = stableMember([['t', 0]]);
    const request = commitRequest(member, offsetsToCommit(t), [{ topic: 't', partition: 0 }], eagerConfig)!;
    const outcome = applyCommitResponse(t, request, { partitions: [{ topic: 't', partition: 0, errorCode: 'ILLEGAL_GENERATION' }] });
    expect(outcome).toMatchObject({ committed: {}, failed: ['t-0'], fenced: ['t-0'], groupError: 'ILLEGAL_GENERATION' });
    expect(offsetsToCommit(outcome.state)).toEqual({ 't-0': 1 });
    const reacted = onGroupError(member, outcome.groupError!, request, 'OffsetCommit');
    expect(isRejoinNeeded(reacted.state)).toBe(true);
    expect(reacted.state.generationId).toBe(-1);
    expect(startJoin(reacted.state, eagerConfig).effects[0]).toEqual({ type: 'losePartitions', partitions: [['t', 0]] });
  });

  it('requests a rejoin, keeping the generation, when a commit answers REBALANCE_IN_PROGRESS', () => {
    const member = stableMember([['t', 0]]);
    const reacted = onGroupError(member, 'REBALANCE_IN_PROGRESS', member, 'OffsetCommit');
    expect(reacted.state).toMatchObject({ rejoinNeeded: true, generationId: 3, state: 'STABLE' });
  });
});

describe('auto-commit', () => {
  it('is due every auto.commit.interval.ms', () => {
    const config = configWith({ autoCommitIntervalMs: 5_000 });
    const t = emptyOffsetTracking(0, config);
    expect(isAutoCommitDue(t, 4_999, config)).toBe(false);
    expect(isAutoCommitDue(t, 5_000, config)).toBe(true);
    const next = autoCommitDone(t, 5_000, config);
    expect(isAutoCommitDue(next, 9_999, config)).toBe(false);
    expect(isAutoCommitDue(next, 10_000, config)).toBe(true);
  });

  it('is never due with enable.auto.commit=false', () => {
    const config = configWith({ enableAutoCommit: false });
    expect(isAutoCommitDue(emptyOffsetTracking(0, config), 1_000_000, config)).toBe(false);
  });
});
