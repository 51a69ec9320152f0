import { describe, expect, it } from 'vitest';
import { brokerConfigDefaults } from '../../../actors/broker/brokerConfig.ts';
import { bootBrokerState, newReplica } from '../../../actors/broker/BrokerState.ts';
import { truncateOnBecomingFollower } from '../../../actors/broker/followerFetcher.ts';
import { appendAsLeader, updateHighWatermark } from '../../../actors/broker/partitionLog.ts';
import { emptyReplicaLog } from '../../../actors/broker/ReplicaLog.ts';

function replicaWithUncommittedTail() {
  let log = emptyReplicaLog();
  for (const value of ['a', 'b', 'c']) log = appendAsLeader(log, [{ key: null, value }], { leaderEpoch: 1 }).log;
  return newReplica('t', 0, updateHighWatermark(log, 1));
}

describe('truncateOnBecomingFollower', () => {
  it('keeps the log when a broker starts following a new leader (KIP-101: the diverging epoch decides)', () => {
    const state = bootBrokerState(1, 'i', brokerConfigDefaults, undefined);
    expect(truncateOnBecomingFollower(state, replicaWithUncommittedTail()).log.logEndOffset).toBe(3);
  });

  it('cuts the log to its own high watermark under the truncate-to-high-watermark weakening (pre-KIP-101, bug R3)', () => {
    const config = { ...brokerConfigDefaults, weakenings: { ...brokerConfigDefaults.weakenings, truncateToHighWatermark: true } };
    const state = bootBrokerState(1, 'i', config, undefined);
    const replica = truncateOnBecomingFollower(state, replicaWithUncommittedTail());
    expect(replica.log.logEndOffset).toBe(1);
    expect(replica.log.batches.flatMap((b) => b.records.map((r) => r.value))).toEqual(['a']);
  });
});
