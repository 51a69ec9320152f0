import { describe, expect, it } from 'vitest';
import { brokerConfigDefaults } from '../../../actors/broker/brokerConfig.ts';
import { bootBrokerState, newReplica, type BrokerEffect, type BrokerState, type PartitionReplica } from '../../../actors/broker/BrokerState.ts';
import { lastOffsetForLeaderEpoch, serveOffsetsForLeaderEpoch } from '../../../actors/broker/offsetsForLeaderEpoch.ts';
import type { OffsetsForLeaderEpochRequest } from '../../../src/protocol/messages.ts';
import { leadAndWrite, logFromBatches } from './logFixtures.ts';

// A leader that wrote 5 records in epoch 0, then (after an election that skipped epoch 1) leads epoch 2 and wrote 4
// more: its epoch cache is [0 @ 0, 2 @ 5] and its log end is 9.
function leaderOfEpoch2(brokerId = 1): PartitionReplica {
  const log = leadAndWrite(logFromBatches([[0, 5]]), 2, ['a', 'b', 'c', 'd']);
  return { ...newReplica('t', 0, log), replicas: [1, 2], isr: [1], leader: brokerId, leaderEpoch: 2 };
}

describe('OffsetsForLeaderEpoch on the leader (Partition#lastOffsetForLeaderEpoch)', () => {
  it('answers where each epoch ends: an old epoch at the start of the next cached one, the current epoch at the log end', () => {
    const replica = leaderOfEpoch2();
    expect(lastOffsetForLeaderEpoch(replica, 1, { leaderEpoch: 0, currentLeaderEpoch: 2 })).toEqual({ leaderEpoch: 0, endOffset: 5 });
    // Epoch 1 never wrote here: the largest epoch below it is 0, which ends at 5.
    expect(lastOffsetForLeaderEpoch(replica, 1, { leaderEpoch: 1, currentLeaderEpoch: 2 })).toEqual({ leaderEpoch: 0, endOffset: 5 });
    expect(lastOffsetForLeaderEpoch(replica, 1, { leaderEpoch: 2, currentLeaderEpoch: 2 })).toEqual({ leaderEpoch: 2, endOffset: 9 });
  });

  it('answers -1 and -1 without an error for an epoch it cannot place (above every cached one)', () => {
    expect(lastOffsetForLeaderEpoch(leaderOfEpoch2(), 1, { leaderEpoch: 3, currentLeaderEpoch: -1 })).toEqual({ leaderEpoch: -1, endOffset: -1 });
  });

  it('fences a stale or a newer currentLeaderEpoch, and refuses when it is not the leader', () => {
    const replica = leaderOfEpoch2();
    expect(lastOffsetForLeaderEpoch(replica, 1, { leaderEpoch: 0, currentLeaderEpoch: 1 }).errorCode).toBe('FENCED_LEADER_EPOCH');
    expect(lastOffsetForLeaderEpoch(replica, 1, { leaderEpoch: 0, currentLeaderEpoch: 3 }).errorCode).toBe('UNKNOWN_LEADER_EPOCH');
    expect(lastOffsetForLeaderEpoch(replica, 2, { leaderEpoch: 0, currentLeaderEpoch: 2 }).errorCode).toBe('NOT_LEADER_OR_FOLLOWER');
    // Without a currentLeaderEpoch only leadership is checked.
    expect(lastOffsetForLeaderEpoch(replica, 1, { leaderEpoch: 0, currentLeaderEpoch: -1 })).toEqual({ leaderEpoch: 0, endOffset: 5 });
  });
});

describe('serveOffsetsForLeaderEpoch', () => {
  function broker(): BrokerState {
    const booted = bootBrokerState(1, 'i', brokerConfigDefaults, undefined);
    const image = { ...booted.image, topics: { ...booted.image.topics, t: { partitions: [] }, u: { partitions: [] } } };
    return { ...booted, image, partitions: { 't-0': leaderOfEpoch2() } };
  }

  it('answers every partition in one response to the sender, with errors for the partitions it does not host', () => {
    const request: OffsetsForLeaderEpochRequest & { from: string } = {
      type: 'offsetsForLeaderEpoch.request',
      correlationId: 7,
      replicaId: -1,
      partitions: [
        { topic: 't', partition: 0, leaderEpoch: 0, currentLeaderEpoch: 2 },
        { topic: 'u', partition: 0, leaderEpoch: 0, currentLeaderEpoch: 2 },
        { topic: 'nope', partition: 0, leaderEpoch: 0, currentLeaderEpoch: 2 },
      ],
      from: 'consumer-1',
    };
    const out: BrokerEffect[] = [];
    const state = broker();
    expect(serveOffsetsForLeaderEpoch(state, request, out)).toBe(state);
    expect(out).toEqual([
      {
        kind: 'send',
        to: 'consumer-1',
        message: {
          type: 'offsetsForLeaderEpoch.response',
          correlationId: 7,
          partitions: [
            { topic: 't', partition: 0, leaderEpoch: 0, endOffset: 5 },
            { topic: 'u', partition: 0, errorCode: 'NOT_LEADER_OR_FOLLOWER', leaderEpoch: -1, endOffset: -1 },
            { topic: 'nope', partition: 0, errorCode: 'UNKNOWN_TOPIC_OR_PARTITION', leaderEpoch: -1, endOffset: -1 },
          ],
        },
      },
    ]);
  });
});
