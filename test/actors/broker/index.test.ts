import { describe, expect, it } from 'vitest';
import * as broker from '../../../actors/broker/index.ts';

describe('actors/broker', () => {
  it('exports the rules a broker machine calls, and nothing else', () => {
    expect(Object.keys(broker).sort()).toEqual([
      'NO_PRODUCER_EPOCH',
      'NO_PRODUCER_ID',
      'NO_SEQUENCE',
      'NUM_BATCHES_TO_RETAIN',
      'UNDEFINED_EPOCH',
      'UNDEFINED_EPOCH_OFFSET',
      'appendAsFollower',
      'appendAsLeader',
      'assignEpoch',
      'assignEpochStartOffset',
      'batchLastOffset',
      'batchLastSequence',
      'brokerDefaults',
      'checkAcksAllComplete',
      'checkCurrentLeaderEpoch',
      'checkIdempotentAppend',
      'checkProduce',
      'divergingEpoch',
      'dropUnflushed',
      'emptyReplicaLog',
      'endOffsetFor',
      'flush',
      'followerHighWatermark',
      'incrementSequence',
      'isAppendableAsFollower',
      'isCaughtUp',
      'isFollowerInSync',
      'latestEpoch',
      'logInvariantProblems',
      'nextHighWatermark',
      'outOfSyncReplicas',
      'readFrom',
      'rebuildProducerState',
      'recordAppend',
      'resetFetchState',
      'truncateFromEnd',
      'truncateTo',
      'truncateToHighWatermark',
      'truncationByLeaderEpoch',
      'unknownFollowerFetchState',
      'updateFetchState',
      'updateHighWatermark',
    ]);
  });

  it("uses Kafka's defaults for replica.lag.time.max.ms and min.insync.replicas", () => {
    expect(broker.brokerDefaults).toEqual({ replicaLagTimeMaxMs: 30_000, minInsyncReplicas: 1 });
  });
});
