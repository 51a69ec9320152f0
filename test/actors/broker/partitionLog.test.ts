import { describe, expect, it } from 'vitest';
import { endOffsetFor } from '../../../actors/broker/leaderEpochCache.ts';
import {
  appendAsFollower,
  appendAsLeader,
  bytesAvailable,
  assignEpochStartOffset,
  dropUnflushed,
  flush,
  isAppendableAsFollower,
  readFrom,
  trimToLogEnd,
  truncateTo,
  updateHighWatermark,
} from '../../../actors/broker/partitionLog.ts';
import { emptyReplicaLog, logInvariantProblems } from '../../../actors/broker/ReplicaLog.ts';
import type { ReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import { batchSizeBytes } from '../../../src/protocol/recordSize.ts';
import { leadAndWrite, logFromBatches, offsetsOf, records, valuesOf } from './logFixtures.ts';

describe('partitionLog', () => {
  describe('appendAsLeader', () => {
    it('writes one batch at the log end offset, stamped with the leader epoch', () => {
      const first = appendAsLeader(emptyReplicaLog(), records(3, 'a'), { leaderEpoch: 4 });
      const second = appendAsLeader(first.log, records(2, 'b'), { leaderEpoch: 4 });
      expect([first.baseOffset, first.lastOffset, second.baseOffset, second.lastOffset]).toEqual([0, 2, 3, 4]);
      expect(second.log.logEndOffset).toBe(5);
      expect(second.batch).toEqual({
        baseOffset: 3,
        leaderEpoch: 4,
        producerId: -1,
        producerEpoch: -1,
        baseSequence: -1,
        sizeInBytes: batchSizeBytes(records(2, 'b')),
        records: records(2, 'b'),
      });
      expect(second.log.epochCache).toEqual([{ epoch: 4, startOffset: 0 }]);
      expect(logInvariantProblems(second.log)).toEqual([]);
    });

    it("stamps an idempotent producer's id, epoch and base sequence", () => {
      const producer = { producerId: 7, producerEpoch: 2, baseSequence: 10 };
      const { batch } = appendAsLeader(emptyReplicaLog(), records(1), { leaderEpoch: 0, producer });
      expect(batch).toMatchObject(producer);
    });

    it('records where each new epoch starts in the epoch cache', () => {
      const log = logFromBatches([
        [1, 2],
        [1, 1],
        [3, 2],
      ]);
      expect(log.epochCache).toEqual([
        { epoch: 1, startOffset: 0 },
        { epoch: 3, startOffset: 3 },
      ]);
    });

    it('copies the records, so a producer reusing its buffer cannot change the log', () => {
      const buffer = records(1);
      const { log } = appendAsLeader(emptyReplicaLog(), buffer, { leaderEpoch: 0 });
      (buffer[0] as { value: string }).value = 'changed';
      expect(valuesOf(log)).toEqual(['v0']);
    });

    it('leaves the log it was given unchanged', () => {
      const before = logFromBatches([[1, 2]]);
      const snapshot = JSON.stringify(before);
      appendAsLeader(before, records(1), { leaderEpoch: 1 });
      expect(JSON.stringify(before)).toBe(snapshot);
    });

    it('refuses an epoch older than the newest in the log and an empty batch', () => {
      const log = logFromBatches([[3, 1]]);
      expect(() => appendAsLeader(log, records(1), { leaderEpoch: 2 })).toThrow(/at least 3/);
      expect(() => appendAsLeader(log, [], { leaderEpoch: 3 })).toThrow(/at least one record/);
    });
  });

  describe('appendAsFollower', () => {
    it("appends the leader's batches as they are and learns their epochs", () => {
      const leader = logFromBatches([
        [1, 2],
        [2, 3],
      ]);
      const follower = appendAsFollower(emptyReplicaLog(), leader.batches);
      expect(follower.batches).toEqual(leader.batches);
      expect(follower.logEndOffset).toBe(5);
      expect(follower.epochCache).toEqual(leader.epochCache);
      expect(follower.highWatermark).toBe(0);
    });

    it('refuses batches that do not start at its log end offset', () => {
      const leader = logFromBatches([
        [1, 2],
        [1, 2],
      ]);
      expect(isAppendableAsFollower(emptyReplicaLog(), leader.batches.slice(1))).toBe(false);
      expect(isAppendableAsFollower(emptyReplicaLog(), leader.batches)).toBe(true);
      expect(() => appendAsFollower(emptyReplicaLog(), leader.batches.slice(1))).toThrow(/start at the log end offset 0/);
    });

    it('accepts an older epoch after a newer one, dropping the newer cache entry as Kafka does', () => {
      // Only a follower that truncated to its HW (pre-KIP-101) can end up here: its epoch-2 tail was never on the
      // leader, whose epoch-1 batches come next. The log is now divergent, and the invariant check says so.
      const follower = logFromBatches([
        [1, 1],
        [2, 1],
      ]);
      const leader = logFromBatches([[1, 3]]);
      const next = appendAsFollower(follower, [{ ...(leader.batches[0] as (typeof leader.batches)[0]), baseOffset: 2 }]);
      expect(next.epochCache).toEqual([{ epoch: 1, startOffset: 2 }]);
      expect(logInvariantProblems(next)).toEqual(['batch at 2 has epoch 1 after epoch 2']);
    });
  });

  describe('readFrom', () => {
    const log = updateHighWatermark(
      logFromBatches([
        [1, 2],
        [1, 2],
        [2, 2],
      ]),
      4,
    );

    it('gives consumers the batches below the high watermark', () => {
      const read = readFrom(log, 0, log.highWatermark);
      expect(read.error).toBeUndefined();
      expect(read.batches?.map((batch) => batch.baseOffset)).toEqual([0, 2]);
    });

    it('gives followers the batches up to the log end offset', () => {
      expect(readFrom(log, 2, log.logEndOffset).batches?.map((batch) => batch.baseOffset)).toEqual([2, 4]);
    });

    it('returns nothing for a fetch offset between the high watermark and the log end offset', () => {
      expect(readFrom(log, 4, log.highWatermark)).toEqual({ batches: [] });
      expect(readFrom(log, 5, log.highWatermark)).toEqual({ batches: [] });
      expect(readFrom(log, 6, log.logEndOffset)).toEqual({ batches: [] });
    });

    it('answers OFFSET_OUT_OF_RANGE beyond the log end offset or below 0', () => {
      expect(readFrom(log, 7, log.highWatermark)).toEqual({ error: 'OFFSET_OUT_OF_RANGE' });
      expect(readFrom(log, -1, log.highWatermark)).toEqual({ error: 'OFFSET_OUT_OF_RANGE' });
    });

    it('starts with the whole batch that holds the fetch offset', () => {
      expect(readFrom(log, 3, log.logEndOffset).batches?.map((batch) => batch.baseOffset)).toEqual([2, 4]);
    });

    it('never hands out a batch that crosses the limit', () => {
      const midBatch = updateHighWatermark(log, 5);
      expect(readFrom(midBatch, 0, midBatch.highWatermark).batches?.map((batch) => batch.baseOffset)).toEqual([0, 2]);
    });

    it('stops at maxBytes but returns the first batch whatever its size, unless told not to (KIP-74)', () => {
      const size = (log.batches[0] as { sizeInBytes: number }).sizeInBytes;
      expect(size).toBe(batchSizeBytes((log.batches[0] as { records: { key: string | null; value: string }[] }).records));
      const offsets = (maxBytes: number, minOneBatch = true) => readFrom(log, 0, log.logEndOffset, maxBytes, minOneBatch).batches?.map((batch) => batch.baseOffset);
      expect(offsets(size)).toEqual([0]);
      expect(offsets(1)).toEqual([0]);
      expect(offsets(2 * size)).toEqual([0, 2]);
      expect(offsets(2 * size - 1)).toEqual([0]);
      expect(offsets(1, false)).toEqual([]);
    });

    it('counts the bytes a fetch could read below a limit (DelayedFetch), at most maxBytes', () => {
      const size = (log.batches[0] as { sizeInBytes: number }).sizeInBytes;
      expect(bytesAvailable(log, 0, log.highWatermark, Infinity)).toBe(2 * size);
      expect(bytesAvailable(log, 4, log.highWatermark, Infinity)).toBe(0);
      expect(bytesAvailable(log, 0, log.logEndOffset, size + 1)).toBe(size + 1);
    });

    it('refuses a limit past the log end offset', () => {
      expect(() => readFrom(log, 0, 7)).toThrow(/maxOffsetExclusive must be the HW or the LEO/);
    });
  });

  describe('truncateTo', () => {
    const log = flush(
      updateHighWatermark(
        logFromBatches([
          [1, 2],
          [2, 2],
          [3, 2],
        ]),
        5,
      ),
    );

    it('removes every offset from the truncation point and the epochs that started there', () => {
      const cut = truncateTo(log, 4);
      expect(valuesOf(cut)).toEqual(['e1@0', 'e1@1', 'e2@2', 'e2@3']);
      expect(cut.logEndOffset).toBe(4);
      expect(cut.epochCache).toEqual([
        { epoch: 1, startOffset: 0 },
        { epoch: 2, startOffset: 2 },
      ]);
    });

    it('keeps the high watermark and the flushed prefix within the new log end offset', () => {
      const cut = truncateTo(log, 3);
      expect([cut.highWatermark, cut.flushedOffset]).toEqual([3, 3]);
      expect(logInvariantProblems(cut)).toEqual([]);
    });

    it('keeps the records below the offset of a batch it cuts through', () => {
      const cut = truncateTo(log, 3);
      expect(offsetsOf(cut).at(-1)).toEqual({ offset: 2, epoch: 2, value: 'e2@2' });
      expect(endOffsetFor(cut.epochCache, 2, cut.logEndOffset)).toEqual({ epoch: 2, endOffset: 3 });
    });

    it('changes nothing at or past the log end offset', () => {
      expect(truncateTo(log, 6)).toBe(log);
      expect(truncateTo(log, 9)).toBe(log);
    });

    it('drops an epoch that started at the log end offset without writing, even when no data is cut', () => {
      // A broker led epoch 4 without appending, then follows a leader that never heard of epoch 4.
      const abandoned = assignEpochStartOffset(log, 4);
      expect(truncateTo(abandoned, 6).epochCache).toEqual(log.epochCache);
    });

    it('can empty the log', () => {
      expect(truncateTo(log, 0)).toEqual(emptyReplicaLog());
    });
  });

  describe('high watermark', () => {
    it('refuses a high watermark beyond the log end offset', () => {
      expect(() => updateHighWatermark(logFromBatches([[1, 2]]), 3)).toThrow(/high watermark 3 must be within \[0, log end offset 2\]/);
    });
  });

  describe('power loss', () => {
    it('keeps only the flushed prefix after a power loss', () => {
      const flushed = flush(logFromBatches([[1, 2]]));
      const written = appendAsLeader(flushed, records(3), { leaderEpoch: 2 }).log;
      const afterPowerLoss = dropUnflushed(updateHighWatermark(written, 4));
      expect(valuesOf(afterPowerLoss)).toEqual(['e1@0', 'e1@1']);
      expect(afterPowerLoss.logEndOffset).toBe(2);
      expect(afterPowerLoss.highWatermark).toBe(2);
      expect(afterPowerLoss.epochCache).toEqual([{ epoch: 1, startOffset: 0 }]);
    });

    it('keeps everything that was flushed', () => {
      const log = flush(logFromBatches([[1, 3]]));
      expect(dropUnflushed(log)).toBe(log);
    });

    it('starts with nothing flushed: a power loss before any flush loses the whole log', () => {
      expect(dropUnflushed(logFromBatches([[1, 3]]))).toEqual(emptyReplicaLog());
    });
  });

  describe('assignEpochStartOffset', () => {
    it('starts the new leader epoch at the log end offset before any write', () => {
      const log = assignEpochStartOffset(logFromBatches([[1, 3]]), 2);
      expect(log.epochCache).toEqual([
        { epoch: 1, startOffset: 0 },
        { epoch: 2, startOffset: 3 },
      ]);
      expect(endOffsetFor(log.epochCache, 1, log.logEndOffset)).toEqual({ epoch: 1, endOffset: 3 });
    });

    it('refuses an epoch older than the one it leads', () => {
      expect(() => assignEpochStartOffset(leadAndWrite(emptyReplicaLog(), 3, []), 2)).toThrow(/at least 3/);
    });
  });

  describe('logInvariantProblems', () => {
    it('reports gaps, a wrong log end offset, watermarks outside the log and a non-monotonic epoch cache', () => {
      const good = logFromBatches([
        [1, 2],
        [2, 2],
      ]);
      const broken: ReplicaLog = {
        batches: [good.batches[0]!, { ...good.batches[1]!, baseOffset: 3 }],
        logEndOffset: 4,
        highWatermark: 5,
        flushedOffset: -1,
        epochCache: [
          { epoch: 2, startOffset: 2 },
          { epoch: 1, startOffset: 3 },
        ],
      };
      expect(logInvariantProblems(broken)).toEqual([
        'batch at 3 should start at 2: offsets must be contiguous',
        'logEndOffset 4 should be 5',
        'highWatermark 5 must be within [0, logEndOffset 4]',
        'flushedOffset -1 must be within [0, logEndOffset 4]',
        'epoch cache entries {"epoch":2,"startOffset":2} and {"epoch":1,"startOffset":3} are not increasing',
      ]);
    });

    it('is JSON data: a log survives a JSON round trip unchanged', () => {
      const log = flush(updateHighWatermark(logFromBatches([[1, 2]]), 1));
      expect(JSON.parse(JSON.stringify(log))).toEqual(log);
    });
  });
});

describe('appends that reuse the batch array (reuseBatches)', () => {
  it('grows the shared array in place, and the log it was given still reads only up to its own end', () => {
    const first = appendAsLeader(emptyReplicaLog(), records(1), { leaderEpoch: 0 }).log;
    const second = appendAsLeader(first, records(1), { leaderEpoch: 0, reuseBatches: true }).log;
    expect(second.batches).toBe(first.batches);
    expect(second.logEndOffset).toBe(2);
    expect(first.logEndOffset).toBe(1);
    expect(readFrom(first, 0, first.logEndOffset).batches).toHaveLength(1);
  });

  it('copies instead when the log it is given no longer owns the whole array (an append from a stale log)', () => {
    const base = appendAsLeader(emptyReplicaLog(), records(1), { leaderEpoch: 0 }).log;
    const newer = appendAsLeader(base, [{ key: null, value: 'newer' }], { leaderEpoch: 0, reuseBatches: true }).log;
    const fork = appendAsLeader(base, [{ key: null, value: 'fork' }], { leaderEpoch: 0, reuseBatches: true }).log;
    expect(fork.batches).not.toBe(base.batches);
    expect(fork.batches.map((b) => b.records[0]?.value)).toEqual(['v0', 'fork']);
    expect(newer.batches.map((b) => b.records[0]?.value)).toEqual(['v0', 'newer']);
    expect(logInvariantProblems(fork)).toEqual([]);
  });

  it('trimToLogEnd cuts a saved log back to its own end, as a restart from an older save must', () => {
    const saved = appendAsLeader(emptyReplicaLog(), records(1), { leaderEpoch: 0 }).log;
    appendAsFollower(saved, [{ baseOffset: 1, leaderEpoch: 0, producerId: -1, producerEpoch: -1, baseSequence: -1, sizeInBytes: 87, records: [{ key: null, value: 'later' }] }], { reuseBatches: true });
    expect(saved.batches).toHaveLength(2);
    const restored = trimToLogEnd(JSON.parse(JSON.stringify(saved)));
    expect(restored.batches).toHaveLength(1);
    expect(logInvariantProblems(restored)).toEqual([]);
  });
});
