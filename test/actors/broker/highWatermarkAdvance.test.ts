import { describe, expect, it } from 'vitest';
import type { BrokerEffect, BrokerState } from '../../../actors/broker/BrokerState.ts';
import { serveFetch } from '../../../actors/broker/delayedFetch.ts';
import { appendRecords } from '../../../actors/broker/leaderAppend.ts';
import { NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE } from '../../../actors/broker/RecordBatch.ts';
import { batchSizeBytes } from '../../../src/protocol/recordSize.ts';
import { brokerAfter, followerFetch, registrations, sent, topicT } from './brokerFixtures.ts';
import { logFromBatches, records } from './logFixtures.ts';

// Partition.maybeIncrementLeaderHW waits for the maximal ISR and also for a follower outside it that is caught up
// (it reached the leader's LEO within replica.lag.time.max.ms) and may join the ISR (shouldWaitForReplicaToJoinIsr,
// KAFKA-15021). Without that wait, a leader alone in its ISR moves the HW to its LEO on every append, and a follower
// that keeps reaching the LEO of the previous fetch never reaches the HW, which is what it needs to join.

const leaderEpoch = 1;

// Broker 1 leads t-0 alone in its ISR (broker 2 follows from outside it), with 10 records from epoch 0.
function leaderAlone(options: { fenced?: number[] } = {}): BrokerState {
  const metadata = [...registrations(options), ...topicT({ replicas: [1, 2], isr: [1], leader: 1, leaderEpoch })];
  return brokerAfter(1, metadata, { log: logFromBatches([[0, 10]]) }).state;
}

function append(state: BrokerState, count: number, nowMs: number): BrokerState {
  const values = records(count);
  const batch = { baseOffset: 0, leaderEpoch: -1, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH, baseSequence: NO_SEQUENCE, records: values, sizeInBytes: batchSizeBytes(values) };
  return appendRecords(state, [{ topic: 't', partition: 0, batch }], { requiredAcks: 1, origin: 'client', nowMs }, []).state;
}

// Broker 2 fetches from `fetchOffset`; what it has past offset 10 it fetched in epoch 1.
function fetchFrom(state: BrokerState, fetchOffset: number, nowMs: number, out: BrokerEffect[] = []): BrokerState {
  const lastFetchedEpoch = fetchOffset > 10 ? leaderEpoch : 0;
  return serveFetch(state, followerFetch(2, { fetchOffset, currentLeaderEpoch: leaderEpoch, lastFetchedEpoch }), nowMs, out);
}

const highWatermark = (state: BrokerState) => state.partitions['t-0']!.log.highWatermark;

// The follower was far behind (it last reached the leader's LEO over replica.lag.time.max.ms ago), reads up to the
// leader's LEO of its previous fetch at 42 s, so it counts as caught up since 40 s, but stays under the HW.
function followerCatchingUp(options: { fenced?: number[] } = {}): BrokerState {
  let state = leaderAlone(options);
  expect(highWatermark(state)).toBe(10);
  state = fetchFrom(state, 0, 40_000);
  state = append(state, 5, 41_000);
  expect(highWatermark(state)).toBe(15);
  return fetchFrom(state, 10, 42_000);
}

describe('advanceHighWatermark: the HW waits for a caught-up replica about to join the ISR', () => {
  it('holds the HW at a caught-up, ISR-eligible follower outside the ISR, which then reaches it and joins', () => {
    let state = append(followerCatchingUp(), 5, 43_000);
    expect(state.partitions['t-0']!.log.logEndOffset).toBe(20);
    expect(highWatermark(state)).toBe(15);
    const out: BrokerEffect[] = [];
    state = fetchFrom(state, 15, 44_000, out);
    expect(sent(out, 'partition.alter').map((alter) => alter.newIsr.map((member) => member.brokerId))).toEqual([[1, 2]]);
    state = fetchFrom(state, 20, 44_500);
    expect(highWatermark(state)).toBe(20);
  });

  it('does not wait for a follower that is not ISR-eligible (its broker is fenced)', () => {
    const state = append(followerCatchingUp({ fenced: [2] }), 5, 43_000);
    expect(highWatermark(state)).toBe(20);
  });

  it('stops waiting once the follower has not been caught up for replica.lag.time.max.ms', () => {
    // Caught up since 40 s; at 70.001 s that is more than 30 s ago.
    const state = append(followerCatchingUp(), 5, 70_001);
    expect(highWatermark(state)).toBe(20);
  });

  it("does not wait, in a run's first replica.lag.time.max.ms, for a follower that was never caught up", () => {
    // Kafka's "never" is time 0, decades back on a wall clock; virtual time starts at 0, so it must mean earlier.
    let state = fetchFrom(leaderAlone(), 0, 1_000);
    state = append(state, 5, 2_000);
    expect(highWatermark(state)).toBe(15);
  });
});
