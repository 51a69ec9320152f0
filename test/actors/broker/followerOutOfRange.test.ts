import { describe, expect, it } from 'vitest';
import { brokerConfigDefaults } from '../../../actors/broker/brokerConfig.ts';
import type { BrokerEffect, BrokerState } from '../../../actors/broker/BrokerState.ts';
import { serveFetch } from '../../../actors/broker/delayedFetch.ts';
import { onFollowerFetchResponse } from '../../../actors/broker/followerFetcher.ts';
import { truncationOnOutOfRange } from '../../../actors/broker/followerTruncation.ts';
import { leadAndWrite, logFromBatches, valuesOf } from './logFixtures.ts';
import { updateHighWatermark } from '../../../actors/broker/partitionLog.ts';
import type { FetchPartitionResponse } from '../../../src/protocol/messages.ts';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { brokerAfter, fetchAnswerFrom, registrations, sent, topicT } from './brokerFixtures.ts';

// A follower whose fetch offset the leader cannot serve gets OFFSET_OUT_OF_RANGE and asks the leader for its log
// end offset (ListOffsets, latest, as a replica): a longer follower cuts to the leader's LEO, a shorter one keeps its
// log and fetches again (AbstractFetcherThread.fetchOffsetAndTruncate). With leader epochs a diverged follower is
// answered with a diverging epoch instead; OFFSET_OUT_OF_RANGE is left for fetches that carry no last fetched epoch.

// Pre-KIP-101 fetches (bug R3's weakening) carry no last fetched epoch, so a follower ahead of its leader is out of
// range rather than diverged.
const withoutEpochs = { weakenings: { ...brokerConfigDefaults.weakenings, truncateToHighWatermark: true } };

// Broker 2 led epoch 0 alone and wrote 8 records, all committed there. Broker 1, which had 6 of them, was elected
// uncleanly in epoch 1 and took one acks=1 write; with min.insync.replicas 2 and an ISR of one its HW stays at 3.
function uncleanFailover(): { leader: BrokerState; follower: BrokerState; followerOut: BrokerEffect[] } {
  const metadata = [...registrations(), ...topicT({ replicas: [1, 2], isr: [1], leader: 1, leaderEpoch: 1 })];
  const leaderLog = updateHighWatermark(leadAndWrite(logFromBatches([[0, 6]]), 1, ['x']), 3);
  const leader = brokerAfter(1, metadata, { log: leaderLog, config: { minInsyncReplicas: 2 } }).state;
  const followerLog = updateHighWatermark(logFromBatches([[0, 8]]), 8);
  const { state: follower, out: followerOut } = brokerAfter(2, metadata, { log: followerLog, config: withoutEpochs });
  return { leader, follower, followerOut };
}

// The follower's one fetch in flight, answered with `answer` for t-0.
function answerFetch(follower: BrokerState, followerOut: BrokerEffect[], answer: Partial<FetchPartitionResponse>, out: BrokerEffect[]): BrokerState {
  const [fetch] = sent(followerOut, 'fetch.request');
  const partition = { topic: 't', partition: 0, highWatermark: 3, logStartOffset: 0, batches: [], ...answer };
  return onFollowerFetchResponse(follower, { type: 'fetch.response', correlationId: fetch!.correlationId, partitions: [partition], from: brokerNodeId(1) }, 1_000, out);
}

describe('a follower answered OFFSET_OUT_OF_RANGE (AbstractFetcherThread.fetchOffsetAndTruncate)', () => {
  it("cuts a follower longer than its leader to the leader's log end offset, not to the leader's high watermark", () => {
    const { leader, follower, followerOut } = uncleanFailover();
    const [fetch] = sent(followerOut, 'fetch.request');
    expect(fetch?.partitions[0]).toMatchObject({ fetchOffset: 8, lastFetchedEpoch: -1 });
    const leaderOut: BrokerEffect[] = [];
    serveFetch(leader, { ...fetch!, from: brokerNodeId(2) }, 1_000, leaderOut);
    const answer = fetchAnswerFrom(1, leaderOut);
    expect(answer.partitions[0]).toMatchObject({ errorCode: 'OFFSET_OUT_OF_RANGE', highWatermark: 3, logEndOffset: 7 });

    const after = onFollowerFetchResponse(follower, answer, 1_000, []).partitions['t-0']!;
    expect(after.log.logEndOffset).toBe(7);
    // Offset 6 keeps the follower's own record, which the leader holds differently: Kafka leaves that mismatch be.
    expect(valuesOf(after.log)).toEqual(['e0@0', 'e0@1', 'e0@2', 'e0@3', 'e0@4', 'e0@5', 'e0@6']);
  });

  it("keeps the log of a follower that ends within the leader's log and fetches again from its own end at once", () => {
    const { follower, followerOut } = uncleanFailover();
    const out: BrokerEffect[] = [];
    const after = answerFetch(follower, followerOut, { errorCode: 'OFFSET_OUT_OF_RANGE', logEndOffset: 10 }, out);
    expect(after.partitions['t-0']!.log.logEndOffset).toBe(8);
    expect(sent(out, 'fetch.request').map((f) => f.partitions[0]?.fetchOffset)).toEqual([8]);
  });

  it('holds the partition back and keeps its log when the leader did not say where its log ends', () => {
    const { follower, followerOut } = uncleanFailover();
    const out: BrokerEffect[] = [];
    const after = answerFetch(follower, followerOut, { errorCode: 'OFFSET_OUT_OF_RANGE' }, out);
    expect(after.partitions['t-0']!.log.logEndOffset).toBe(8);
    expect(sent(out, 'fetch.request')).toEqual([]);
  });
});

describe('truncationOnOutOfRange', () => {
  const followerLog = logFromBatches([[0, 8]]);

  it("is the leader's log end offset when the leader's log is the shorter", () => {
    expect(truncationOnOutOfRange(followerLog, { logStartOffset: 0, logEndOffset: 5 })).toEqual({ offset: 5, truncationCompleted: true });
  });

  it("is the follower's own log end offset when the leader's log reaches it", () => {
    expect(truncationOnOutOfRange(followerLog, { logStartOffset: 0, logEndOffset: 8 })).toEqual({ offset: 8, truncationCompleted: true });
    expect(truncationOnOutOfRange(followerLog, { logStartOffset: 0, logEndOffset: 12 })).toEqual({ offset: 8, truncationCompleted: true });
  });

  it('refuses a leader log start past the follower, which needs a log start offset the simulated log does not have', () => {
    expect(() => truncationOnOutOfRange(followerLog, { logStartOffset: 9, logEndOffset: 12 })).toThrow(/log start/);
  });
});
