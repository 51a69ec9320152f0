import { describe, expect, it } from 'vitest';
import { truncateToHighWatermark, truncationByLeaderEpoch } from '../../../actors/broker/followerTruncation.ts';
import { UNDEFINED_EPOCH, endOffsetFor, latestEpoch } from '../../../actors/broker/leaderEpochCache.ts';
import { appendAsFollower, truncateTo, updateHighWatermark } from '../../../actors/broker/partitionLog.ts';
import { emptyReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import type { ReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import { leadAndWrite, logFromBatches, valuesOf } from './logFixtures.ts';
import { applyStep, initialModel, logMatchingViolations, lostCommittedRecords } from './replicationModel.ts';
import type { ModelReplica, ReplicationModel, ReplicationStep, TruncationRule } from './replicationModel.ts';

// The follower asks the leader where its latest epoch ends (OffsetsForLeaderEpoch) and the leader answers from
// its epoch cache; this is that round trip without the network.
const askLeader = (follower: ReplicaLog, leader: ReplicaLog) =>
  truncationByLeaderEpoch(follower, endOffsetFor(leader.epochCache, latestEpoch(follower.epochCache), leader.logEndOffset));

const run = (rule: TruncationRule, replicaCount: number, steps: ReplicationStep[]): ReplicationModel =>
  steps.reduce(applyStep, initialModel(replicaCount, rule));
const logOf = (model: ReplicationModel, id: number): ReplicaLog => (model.replicas[id] as ModelReplica).log;

describe('followerTruncation', () => {
  describe('after a failover where the high-watermark rule loses or diverges data', () => {
    // KIP-101 scenario 1 (bug R3). Broker 0 leads, broker 1 follows. Each fetch response carries the leader's HW
    // from before the leader learned that fetch, so the follower's HW lags one fetch: v1 is committed on the
    // leader (HW 2) while the follower's HW is still 1.
    const committedOnLeaderOnly: ReplicationStep[] = [
      { kind: 'produce', count: 1 },
      { kind: 'fetch', replica: 1 },
      { kind: 'fetch', replica: 1 },
      { kind: 'produce', count: 1 },
      { kind: 'fetch', replica: 1 },
      { kind: 'fetch', replica: 1 },
    ];
    // The follower restarts, then the leader dies: the follower is elected and writes v2; the old leader returns.
    const failover: ReplicationStep[] = [
      { kind: 'restart', replica: 1 },
      { kind: 'restart', replica: 0 },
      { kind: 'produce', count: 1 },
      { kind: 'fetch', replica: 0 },
    ];

    it('starts from a committed record the follower holds above its own high watermark', () => {
      const model = run('leaderEpoch', 2, committedOnLeaderOnly);
      expect([logOf(model, 0).highWatermark, logOf(model, 1).highWatermark]).toEqual([2, 1]);
      expect(valuesOf(logOf(model, 1))).toEqual(['v0', 'v1']);
    });

    it('the two rules disagree on the same follower log: the HW rule drops v1, the epoch rule keeps it', () => {
      const model = run('leaderEpoch', 2, committedOnLeaderOnly);
      const follower = logOf(model, 1);
      expect(truncateToHighWatermark(follower)).toEqual({ offset: 1, truncationCompleted: true });
      expect(askLeader(follower, logOf(model, 0))).toEqual({ offset: 2, truncationCompleted: true });
    });

    it('truncating by leader epoch keeps the logs identical and the committed record', () => {
      const model = run('leaderEpoch', 2, [...committedOnLeaderOnly, ...failover]);
      expect(model.leader).toBe(1);
      expect(valuesOf(logOf(model, 0))).toEqual(['v0', 'v1', 'v2']);
      expect(logOf(model, 0).batches).toEqual(logOf(model, 1).batches);
      expect(logMatchingViolations(model)).toEqual([]);
      expect(lostCommittedRecords(model)).toEqual([]);
    });

    it('truncating to the high watermark loses the committed record and leaves the logs divergent (R3)', () => {
      const model = run('highWatermark', 2, [...committedOnLeaderOnly, ...failover]);
      expect(valuesOf(logOf(model, 1))).toEqual(['v0', 'v2']);
      expect(valuesOf(logOf(model, 0))).toEqual(['v0', 'v1']);
      expect([logOf(model, 0).highWatermark, logOf(model, 1).highWatermark]).toEqual([2, 2]);
      expect(logMatchingViolations(model)).toHaveLength(1);
      expect(lostCommittedRecords(model)).toEqual(['offset 1 committed v1, leader 1 has v2']);
    });
  });

  describe('after both replicas lose power', () => {
    // KIP-101 scenario 2 (bug R4): v0 is flushed everywhere; v1 only on the leader. Both lose power; the follower,
    // back with v0 alone, is elected and writes v2 at offset 1, where the old leader still holds v1.
    const steps: ReplicationStep[] = [
      { kind: 'produce', count: 1 },
      { kind: 'fetch', replica: 1 },
      { kind: 'flush', replica: 0 },
      { kind: 'flush', replica: 1 },
      { kind: 'produce', count: 1 },
      { kind: 'fetch', replica: 1 },
      { kind: 'fetch', replica: 1 },
      { kind: 'flush', replica: 0 },
      { kind: 'powerLoss', replica: 1 },
      { kind: 'powerLoss', replica: 0 },
      { kind: 'produce', count: 1 },
      { kind: 'fetch', replica: 0 },
    ];

    it('truncating by leader epoch makes the old leader drop v1 and take v2: the logs agree', () => {
      const model = run('leaderEpoch', 2, steps);
      expect(valuesOf(logOf(model, 0))).toEqual(['v0', 'v2']);
      expect(logOf(model, 0).batches).toEqual(logOf(model, 1).batches);
      expect(logMatchingViolations(model)).toEqual([]);
    });

    it('truncating to the high watermark keeps v1 at the offset where the leader has v2, for good (R4)', () => {
      const model = run('highWatermark', 2, steps);
      expect(valuesOf(logOf(model, 0))).toEqual(['v0', 'v1']);
      expect(valuesOf(logOf(model, 1))).toEqual(['v0', 'v2']);
      expect(logMatchingViolations(model)).not.toEqual([]);
    });
  });

  describe('truncationByLeaderEpoch (AbstractFetcherThread.getOffsetTruncationState)', () => {
    it("truncates to the leader's end of the follower's epoch when the leader moved on", () => {
      // Both wrote epoch 1 up to offset 3; the follower then wrote 2 more records in epoch 1 that the new leader
      // (epoch 2 from offset 3) never had.
      const follower = logFromBatches([
        [1, 3],
        [1, 2],
      ]);
      const leader = leadAndWrite(logFromBatches([[1, 3]]), 2, ['x']);
      expect(askLeader(follower, leader)).toEqual({ offset: 3, truncationCompleted: true });
    });

    it("uses the follower's own end of the epoch when it is smaller than the leader's (KIP-279, bug R5)", () => {
      // Epoch 1 wrote 0-2 on A; B had only 0-1 when it led epoch 2 and wrote y at 2. A led epoch 3 without ever
      // seeing epoch 2. B asks about epoch 2; A answers with epoch 1, ending at 3.
      const a = leadAndWrite(logFromBatches([[1, 3]]), 3, ['z']);
      const b = leadAndWrite(logFromBatches([[1, 2]]), 2, ['y']);
      const answer = endOffsetFor(a.epochCache, 2, a.logEndOffset);
      expect(answer).toEqual({ epoch: 1, endOffset: 3 });
      expect(truncationByLeaderEpoch(b, answer)).toEqual({ offset: 2, truncationCompleted: true });
      // The KIP-101 answer (an end offset without the epoch) keeps y at 2 where A has e1@2: divergent.
      expect(truncationByLeaderEpoch(b, { epoch: UNDEFINED_EPOCH, endOffset: 3 })).toEqual({ offset: 3, truncationCompleted: true });
    });

    it("truncates to the end of the largest lower epoch and asks again when it does not know the leader's epoch", () => {
      let follower = logFromBatches([
        [1, 5],
        [3, 3],
        [5, 2],
      ]);
      const first = truncationByLeaderEpoch(follower, { epoch: 4, endOffset: 9 });
      expect(first).toEqual({ offset: 8, truncationCompleted: false });
      follower = truncateTo(follower, first.offset);
      expect(latestEpoch(follower.epochCache)).toBe(3);
      expect(truncationByLeaderEpoch(follower, { epoch: 3, endOffset: 7 })).toEqual({ offset: 7, truncationCompleted: true });
    });

    it('never truncates past its own log end offset', () => {
      const follower = logFromBatches([[1, 2]]);
      expect(truncationByLeaderEpoch(follower, { epoch: 1, endOffset: 9 })).toEqual({ offset: 2, truncationCompleted: true });
    });

    it('falls back to its initial fetch offset when the leader cannot place the epoch', () => {
      const withEpochs = updateHighWatermark(logFromBatches([[1, 4]]), 2);
      expect(truncationByLeaderEpoch(withEpochs, { epoch: -1, endOffset: -1 })).toEqual({ offset: 4, truncationCompleted: true });
      const withoutEpochs: ReplicaLog = { ...withEpochs, epochCache: [] };
      expect(truncationByLeaderEpoch(withoutEpochs, { epoch: -1, endOffset: -1 })).toEqual({ offset: 2, truncationCompleted: true });
    });

    it("uses the leader's offset when its own cache cannot place the answered epoch", () => {
      const follower = appendAsFollower(emptyReplicaLog(), logFromBatches([[2, 4]]).batches);
      expect(truncationByLeaderEpoch({ ...follower, epochCache: [] }, { epoch: 2, endOffset: 3 })).toEqual({ offset: 3, truncationCompleted: true });
    });
  });

  describe('truncateToHighWatermark', () => {
    it('cuts the log at its own high watermark, whatever the leader has', () => {
      expect(truncateToHighWatermark(updateHighWatermark(logFromBatches([[1, 5]]), 3))).toEqual({ offset: 3, truncationCompleted: true });
    });
  });
});
