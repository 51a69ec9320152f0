import { describe, expect, it } from 'vitest';
import { applyMetadataRecords } from '../../../actors/broker/applyMetadata.ts';
import type { BrokerEffect, BrokerState } from '../../../actors/broker/BrokerState.ts';
import { serveFetch } from '../../../actors/broker/delayedFetch.ts';
import { isReplicaIsrEligible, isStaleBrokerEpoch } from '../../../actors/broker/isrMembership.ts';
import type { MetadataRecord } from '../../../src/protocol/metadataRecords.ts';
import { brokerAfter, fetchAnswerFrom, followerFetch, registrations, sent, topicT } from './brokerFixtures.ts';
import { logFromBatches } from './logFixtures.ts';

// Who may join the ISR (Partition.canAddReplicaToIsr, isReplicaIsrEligible): a follower that has caught up is added
// only if its broker is unfenced, not in controlled shutdown, and fetched with the broker epoch the leader's metadata
// has for it (KIP-903). A fetch with an older broker epoch than that is refused outright (Replica.updateFetchStateOrThrow):
// it comes from an earlier incarnation of the broker, whose log the restarted broker may no longer have.

const metadata = [...registrations(), ...topicT({ replicas: [1, 2], isr: [1], leader: 1, leaderEpoch: 1 })];

// Broker 2 restarts and registers again: its new broker epoch is the offset of the new RegisterBroker record, 8.
const reRegistration: MetadataRecord[] = [
  { type: 'RegisterBroker', brokerId: 2, incarnationId: 'b2-again', brokerEpoch: 8, fenced: true },
  { type: 'BrokerUnfenced', brokerId: 2, brokerEpoch: 8 },
];

// Broker 1 leads t-0 alone in its ISR, with 10 records (HW 10).
function leaderAfter(records: MetadataRecord[]): BrokerState {
  return brokerAfter(1, records, { log: logFromBatches([[0, 10]]) }).state;
}

// Broker 2 fetches from the leader's log end offset, which is all it needs to join the ISR.
function caughtUpFetch(state: BrokerState, nowMs: number, out: BrokerEffect[], replicaEpoch?: number): BrokerState {
  const fetch = followerFetch(2, { fetchOffset: 10, currentLeaderEpoch: 1, lastFetchedEpoch: 0 }, replicaEpoch === undefined ? {} : { replicaEpoch });
  return serveFetch(state, fetch, nowMs, out);
}

const proposedIsrs = (out: BrokerEffect[]) => sent(out, 'partition.alter').map((alter) => alter.newIsr);

describe('ISR expansion: only an ISR-eligible follower joins', () => {
  it('adds a caught-up follower whose broker is unfenced and fetched with its current broker epoch', () => {
    const out: BrokerEffect[] = [];
    caughtUpFetch(leaderAfter(metadata), 1_000, out);
    expect(proposedIsrs(out)).toEqual([
      [
        { brokerId: 1, brokerEpoch: 0 },
        { brokerId: 2, brokerEpoch: 1 },
      ],
    ]);
  });

  it('does not add a caught-up follower whose broker is fenced', () => {
    const fenced = [...registrations({ fenced: [2] }), ...topicT({ replicas: [1, 2], isr: [1], leader: 1, leaderEpoch: 1 })];
    const out: BrokerEffect[] = [];
    const state = caughtUpFetch(leaderAfter(fenced), 1_000, out);
    expect(proposedIsrs(out)).toEqual([]);
    // The fetch itself is served and the follower's position recorded.
    expect(fetchAnswerFrom(1, out).partitions[0]?.errorCode).toBeUndefined();
    expect(state.partitions['t-0']!.followers[2]?.leo).toBe(10);
  });

  it('refuses a fetch with an older broker epoch than the metadata has (NOT_LEADER_OR_FOLLOWER) and records nothing', () => {
    const out: BrokerEffect[] = [];
    const state = caughtUpFetch(leaderAfter([...metadata, ...reRegistration]), 1_000, out, 1);
    expect(fetchAnswerFrom(1, out).partitions[0]).toMatchObject({ errorCode: 'NOT_LEADER_OR_FOLLOWER', batches: [] });
    expect(proposedIsrs(out)).toEqual([]);
    expect(state.partitions['t-0']!.followers[2]?.leo).toBe(-1);

    const current: BrokerEffect[] = [];
    caughtUpFetch(state, 1_500, current, 8);
    expect(proposedIsrs(current)).toEqual([
      [
        { brokerId: 1, brokerEpoch: 0 },
        { brokerId: 2, brokerEpoch: 8 },
      ],
    ]);
  });

  it("records a fetch with a newer broker epoch than the leader's metadata, and adds it only once the metadata has it", () => {
    const out: BrokerEffect[] = [];
    let state = caughtUpFetch(leaderAfter(metadata), 1_000, out, 8);
    expect(fetchAnswerFrom(1, out).partitions[0]?.errorCode).toBeUndefined();
    expect(state.partitions['t-0']!.followers[2]?.leo).toBe(10);
    expect(proposedIsrs(out)).toEqual([]);

    state = applyMetadataRecords(state, metadata.length, reRegistration, 1_200, []);
    const later: BrokerEffect[] = [];
    caughtUpFetch(state, 1_500, later, 8);
    expect(proposedIsrs(later).map((isr) => isr.map((member) => member.brokerId))).toEqual([[1, 2]]);
  });
});

describe('isReplicaIsrEligible and isStaleBrokerEpoch', () => {
  const registration = { epoch: 8, fenced: false };

  it('needs a registered, unfenced broker not in controlled shutdown, whose fetches carried the broker epoch the metadata has', () => {
    expect(isReplicaIsrEligible({ storedBrokerEpoch: 8, registration })).toBe(true);
    expect(isReplicaIsrEligible({ storedBrokerEpoch: 8, registration: { ...registration, fenced: true } })).toBe(false);
    expect(isReplicaIsrEligible({ storedBrokerEpoch: 8, registration: { ...registration, inControlledShutdown: true } })).toBe(false);
    expect(isReplicaIsrEligible({ storedBrokerEpoch: 8, registration: undefined })).toBe(false);
    expect(isReplicaIsrEligible({ storedBrokerEpoch: 1, registration })).toBe(false);
    expect(isReplicaIsrEligible({ storedBrokerEpoch: 9, registration })).toBe(false);
    // No fetch since this leader's epoch began (Kafka's None): not eligible.
    expect(isReplicaIsrEligible({ storedBrokerEpoch: null, registration })).toBe(false);
    // A fetch without a broker epoch (-1, older request versions) skips the epoch comparison.
    expect(isReplicaIsrEligible({ storedBrokerEpoch: -1, registration })).toBe(true);
  });

  it('calls a fetch stale only when an unfenced registration has a newer broker epoch than the fetch carried', () => {
    expect(isStaleBrokerEpoch(1, registration)).toBe(true);
    expect(isStaleBrokerEpoch(8, registration)).toBe(false);
    expect(isStaleBrokerEpoch(9, registration)).toBe(false);
    expect(isStaleBrokerEpoch(-1, registration)).toBe(false);
    expect(isStaleBrokerEpoch(1, { ...registration, fenced: true })).toBe(false);
    // A broker in controlled shutdown is still alive: its older epochs are still stale.
    expect(isStaleBrokerEpoch(1, { ...registration, inControlledShutdown: true })).toBe(true);
    expect(isStaleBrokerEpoch(1, undefined)).toBe(false);
  });
});
