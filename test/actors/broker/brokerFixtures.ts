import { applyMetadataRecords } from '../../../actors/broker/applyMetadata.ts';
import { brokerConfigDefaults, type BrokerConfig } from '../../../actors/broker/brokerConfig.ts';
import { bootBrokerState, type BrokerEffect, type BrokerState } from '../../../actors/broker/BrokerState.ts';
import type { ReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import type { FetchPartition, FetchRequest, FetchResponse, KafkaMessage } from '../../../src/protocol/messages.ts';
import type { MetadataRecord } from '../../../src/protocol/metadataRecords.ts';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';

// Brokers as the replication rules see them, built by replaying metadata records, for tests that drive the leader's
// and the follower's rules directly (serveFetch, appendRecords, onFollowerFetchResponse) without a World.

/** Brokers 1, 2 and 3 register at offsets 0, 1 and 2 (so those are their broker epochs), then all are unfenced. */
export const brokerEpochOf: Readonly<Record<number, number>> = { 1: 0, 2: 1, 3: 2 };

/** The registration records of brokers 1-3; those named in `fenced` stay fenced. */
export function registrations(options: { readonly fenced?: readonly number[] } = {}): MetadataRecord[] {
  const fenced = options.fenced ?? [];
  const ids = [1, 2, 3];
  return [
    ...ids.map((brokerId): MetadataRecord => ({ type: 'RegisterBroker', brokerId, incarnationId: `b${brokerId}`, brokerEpoch: brokerEpochOf[brokerId] as number, fenced: true })),
    ...ids
      .filter((brokerId) => !fenced.includes(brokerId))
      .map((brokerId): MetadataRecord => ({ type: 'BrokerUnfenced', brokerId, brokerEpoch: brokerEpochOf[brokerId] as number })),
  ];
}

/** Topic `t` with partition 0 as given. */
export function topicT(partition: { readonly replicas: number[]; readonly isr: number[]; readonly leader: number; readonly leaderEpoch: number }): MetadataRecord[] {
  return [
    { type: 'Topic', name: 't' },
    { type: 'Partition', topic: 't', partition: 0, partitionEpoch: 0, ...partition },
  ];
}

/** Broker `brokerId` booted with `log` as its copy of t-0, after replaying `records` at `nowMs`. */
export function brokerAfter(
  brokerId: number,
  records: readonly MetadataRecord[],
  options: { readonly log?: ReplicaLog; readonly nowMs?: number; readonly config?: Partial<BrokerConfig> } = {},
): { state: BrokerState; out: BrokerEffect[] } {
  const config = { ...brokerConfigDefaults, ...options.config };
  const booted = bootBrokerState(brokerId, 'i', config, options.log === undefined ? undefined : { logs: { 't-0': options.log } });
  const out: BrokerEffect[] = [];
  const state = applyMetadataRecords({ ...booted, brokerEpoch: brokerEpochOf[brokerId] as number }, 0, records, options.nowMs ?? 0, out);
  return { state, out };
}

/** A follower's fetch of t-0 as the leader receives it. */
export function followerFetch(
  replicaId: number,
  partition: Pick<FetchPartition, 'fetchOffset' | 'currentLeaderEpoch' | 'lastFetchedEpoch'>,
  options: { readonly replicaEpoch?: number; readonly correlationId?: number } = {},
): FetchRequest & { from: string } {
  return {
    type: 'fetch.request',
    correlationId: options.correlationId ?? 0,
    replicaId,
    replicaEpoch: options.replicaEpoch ?? (brokerEpochOf[replicaId] as number),
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1_048_576,
    partitions: [{ topic: 't', partition: 0, partitionMaxBytes: 1_048_576, ...partition }],
    from: brokerNodeId(replicaId),
  };
}

/** The messages of one type among the effects. */
export function sent<T extends KafkaMessage['type']>(out: readonly BrokerEffect[], type: T): Array<Extract<KafkaMessage, { type: T }>> {
  const messages: Array<Extract<KafkaMessage, { type: T }>> = [];
  for (const effect of out) {
    if (effect.kind === 'send' && effect.message.type === type) messages.push(effect.message as Extract<KafkaMessage, { type: T }>);
  }
  return messages;
}

/** The only fetch response among the effects, as a follower receives it from `leaderId`. */
export function fetchAnswerFrom(leaderId: number, out: readonly BrokerEffect[]): FetchResponse & { from: string } {
  const answers = sent(out, 'fetch.response');
  if (answers.length !== 1) throw new Error(`fetchAnswerFrom: expected one fetch.response, got ${answers.length}`);
  return { ...(answers[0] as FetchResponse), from: brokerNodeId(leaderId) };
}
