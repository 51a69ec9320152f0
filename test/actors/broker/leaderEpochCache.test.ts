import { describe, expect, it } from 'vitest';
import {
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
  assignEpoch,
  endOffsetFor,
  latestEpoch,
  truncateFromEnd,
} from '../../../actors/broker/leaderEpochCache.ts';
import type { LeaderEpochCache } from '../../../actors/broker/leaderEpochCache.ts';

// Vectors from Kafka's LeaderEpochFileCacheTest (storage/src/test/java/.../epoch), one `it` per Kafka test,
// with Kafka's inputs and expected outputs. (-1, -1) is Kafka's (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET).

const assignAll = (...entries: Array<[number, number]>): LeaderEpochCache =>
  entries.reduce<LeaderEpochCache>((cache, [epoch, startOffset]) => assignEpoch(cache, epoch, startOffset), []);
const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };

describe('leaderEpochCache (Kafka LeaderEpochFileCacheTest)', () => {
  it('shouldAddEpochAndMessageOffsetToCache', () => {
    const cache = assignAll([2, 10]);
    expect(latestEpoch(cache)).toBe(2);
    expect(cache).toEqual([{ epoch: 2, startOffset: 10 }]);
    expect(endOffsetFor(cache, 2, 11)).toEqual({ epoch: 2, endOffset: 11 });
  });

  it('shouldReturnLogEndOffsetIfLatestEpochRequested', () => {
    expect(endOffsetFor(assignAll([2, 11], [2, 12]), 2, 14)).toEqual({ epoch: 2, endOffset: 14 });
  });

  it('shouldReturnUndefinedOffsetIfUndefinedEpochRequested', () => {
    expect(endOffsetFor(assignAll([2, 11], [3, 12]), UNDEFINED_EPOCH, 0)).toEqual(undefinedAnswer);
  });

  it('shouldNotOverwriteLogEndOffsetForALeaderEpochOnceItHasBeenAssigned', () => {
    expect(assignAll([2, 9], [2, 10])).toEqual([{ epoch: 2, startOffset: 9 }]);
  });

  it('shouldEnforceMonotonicallyIncreasingStartOffsets', () => {
    expect(assignAll([2, 9], [3, 9])).toEqual([{ epoch: 3, startOffset: 9 }]);
  });

  it('shouldReturnUnsupportedIfNoEpochRecorded', () => {
    expect(endOffsetFor([], 0, 0)).toEqual(undefinedAnswer);
  });

  it('shouldReturnUnsupportedIfNoEpochRecordedAndUndefinedEpochRequested', () => {
    expect(endOffsetFor([], UNDEFINED_EPOCH, 73)).toEqual(undefinedAnswer);
  });

  it('shouldReturnFirstEpochIfRequestedEpochLessThanFirstEpoch', () => {
    expect(endOffsetFor(assignAll([5, 11], [6, 12], [7, 13]), 4, 0)).toEqual({ epoch: 4, endOffset: 11 });
  });

  it('shouldTruncateIfMatchingEpochButEarlierStartingOffset', () => {
    const cache = assignAll([5, 11], [6, 12], [7, 13], [7, 12]);
    expect(endOffsetFor(cache, 5, 0)).toEqual({ epoch: 5, endOffset: 12 });
    expect(endOffsetFor(cache, 6, 0)).toEqual({ epoch: 5, endOffset: 12 });
  });

  it('shouldGetFirstOffsetOfSubsequentEpochWhenOffsetRequestedForPreviousEpoch', () => {
    const cache = assignAll([1, 11], [1, 12], [2, 13], [2, 14], [3, 15], [3, 16]);
    expect(endOffsetFor(cache, 2, 17)).toEqual({ epoch: 2, endOffset: 15 });
  });

  it('shouldReturnNextAvailableEpochIfThereIsNoExactEpochForTheOneRequested', () => {
    const cache = assignAll([0, 10], [2, 13], [4, 17]);
    expect(endOffsetFor(cache, 1, 0)).toEqual({ epoch: 0, endOffset: 13 });
    expect(endOffsetFor(cache, 2, 0)).toEqual({ epoch: 2, endOffset: 17 });
    expect(endOffsetFor(cache, 3, 0)).toEqual({ epoch: 2, endOffset: 17 });
  });

  it('shouldReturnInvalidOffsetIfEpochIsRequestedWhichIsNotCurrentlyTracked', () => {
    expect(endOffsetFor(assignAll([2, 100]), 3, 100)).toEqual(undefinedAnswer);
  });

  it('shouldEnforceMonotonicallyIncreasingEpochs', () => {
    const cache = assignAll([1, 5], [2, 6], [1, 7]);
    expect(latestEpoch(cache)).toBe(1);
    expect(endOffsetFor(cache, 1, 8)).toEqual({ epoch: 1, endOffset: 8 });
    expect(endOffsetFor(cache, 2, 8)).toEqual(undefinedAnswer);
    expect(cache).toEqual([{ epoch: 1, startOffset: 7 }]);
  });

  it('shouldEnforceOffsetsIncreaseMonotonically', () => {
    expect(assignAll([2, 6], [3, 5])).toEqual([{ epoch: 3, startOffset: 5 }]);
  });

  it('shouldIncreaseAndTrackEpochsAsLeadersChangeManyTimes', () => {
    let cache = assignAll([0, 0], [1, 0]);
    expect(latestEpoch(cache)).toBe(1);
    expect(endOffsetFor(cache, 1, 0)).toEqual({ epoch: 1, endOffset: 0 });
    expect(endOffsetFor(cache, 0, 0)).toEqual({ epoch: 0, endOffset: 0 });
    expect(endOffsetFor(cache, 1, 5)).toEqual({ epoch: 1, endOffset: 5 });
    cache = assignEpoch(cache, 2, 5);
    expect(endOffsetFor(cache, 2, 10)).toEqual({ epoch: 2, endOffset: 10 });
    expect(endOffsetFor(cache, 1, 10)).toEqual({ epoch: 1, endOffset: 5 });
    expect(endOffsetFor(cache, 0, 10)).toEqual({ epoch: 0, endOffset: 0 });
  });

  it('shouldIncreaseAndTrackEpochsAsFollowerReceivesManyMessages', () => {
    const cache = assignAll([0, 0], [0, 1], [0, 2], [1, 3], [1, 4], [1, 5], [2, 6], [2, 7], [2, 8]);
    expect(latestEpoch(cache)).toBe(2);
    expect(endOffsetFor(cache, 2, 9)).toEqual({ epoch: 2, endOffset: 9 });
    expect(endOffsetFor(cache, 0, 9)).toEqual({ epoch: 0, endOffset: 3 });
    expect(endOffsetFor(cache, 1, 9)).toEqual({ epoch: 1, endOffset: 6 });
  });

  it('shouldDropEntriesOnEpochBoundaryWhenRemovingLatestEntries', () => {
    expect(truncateFromEnd(assignAll([2, 6], [3, 8], [4, 11]), 8)).toEqual([{ epoch: 2, startOffset: 6 }]);
  });

  it('shouldDropEntriesBetweenEpochBoundaryWhenRemovingNewest', () => {
    const cache = truncateFromEnd(assignAll([2, 6], [3, 8], [4, 11]), 9);
    expect(latestEpoch(cache)).toBe(3);
    expect(cache).toEqual([
      { epoch: 2, startOffset: 6 },
      { epoch: 3, startOffset: 8 },
    ]);
  });

  it('shouldNotResetEpochHistoryTailIfUndefinedPassed', () => {
    expect(truncateFromEnd(assignAll([2, 6], [3, 8], [4, 11]), UNDEFINED_EPOCH_OFFSET)).toHaveLength(3);
  });

  it('shouldFetchLatestEpochOfEmptyCache', () => {
    expect(latestEpoch([])).toBe(UNDEFINED_EPOCH);
  });

  it('shouldFetchEndOffsetOfEmptyCache', () => {
    expect(endOffsetFor([], 7, 0)).toEqual(undefinedAnswer);
  });

  it('shouldClearLatestOnEmptyCache', () => {
    expect(truncateFromEnd([], 7)).toEqual([]);
  });
});

describe('leaderEpochCache', () => {
  it('returns a new cache and leaves the old one as it was', () => {
    const before = assignAll([1, 0]);
    const after = assignEpoch(before, 2, 5);
    expect(before).toEqual([{ epoch: 1, startOffset: 0 }]);
    expect(after).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 5 },
    ]);
  });

  it('refuses a negative epoch or start offset, as Kafka does', () => {
    expect(() => assignEpoch([], -1, 0)).toThrow(/epoch and startOffset must be integers >= 0/);
    expect(() => assignEpoch([], 0, -3)).toThrow(/epoch and startOffset must be integers >= 0/);
  });
});
