import type { Metadata } from '../client/metadata.ts';
import { fetchDefaults, type Fetcher, type FetchSettings } from '../client/fetcher.ts';
import type { NetworkClient } from '../client/networkClient.ts';
import type { PositionValidation } from '../client/positionValidation.ts';
import type { GroupApi, GroupMessage, OffsetCommitRequest } from '../../src/protocol/groupMessages.ts';
import type { KafkaMessage } from '../../src/protocol/messages.ts';
import type { ConsumerConfig } from './consumerDefaults.ts';
import type { Membership, MembershipEffect } from './membership.ts';
import type { OffsetTracking } from './offsetTracking.ts';
import type { Processing } from './processing.ts';
import type { StaleClaim } from './staleOwnedPartitions.ts';

// The group consumer machine's state as plain data, and the effects its rules ask for (the broker's pattern:
// rules take a state and push effects, the machine turns them into emitted and delayed events).

/** The consumer's client settings beside the group settings (Java names; times are virtual ms). */
export interface ConsumerClientSettings extends FetchSettings {
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly metadataMaxAgeMs: number;
  /** No Kafka setting: the Duration the application passes to poll(), how long it waits for records to arrive. */
  readonly pollTimeoutMs: number;
}

/** The Java consumer's defaults for the client settings (3.9), and the simulator's poll loop. */
export const consumerClientDefaults: ConsumerClientSettings = {
  ...fetchDefaults,
  requestTimeoutMs: 30_000, // request.timeout.ms
  retryBackoffMs: 100, // retry.backoff.ms
  retryBackoffMaxMs: 1_000, // retry.backoff.max.ms (KIP-580, 3.7: metadata refreshes back off exponentially)
  metadataMaxAgeMs: 300_000, // metadata.max.age.ms
  pollTimeoutMs: 1_000,
};

/** Client-side weakenings; both off in a faithful run. */
export interface ConsumerWeakenings {
  /** Bug C4: commit the polled positions as soon as a poll returns, before the records are processed. */
  readonly commitBeforeProcessing: boolean;
  /**
   * Bug C2 (KAFKA-12984 with KAFKA-13406's client): a member kicked out of its generation still claims what it
   * owned when it rejoins, and the leader trusts every claim as current (see staleOwnedPartitions.ts).
   */
  readonly trustStaleOwnedPartitions: boolean;
  /**
   * Bug C2 (KIP-429's rule): the leader under cooperative-sticky hands a partition to its new owner in the same
   * rebalance in which its old owner revokes it, instead of withholding it until the follow-up rebalance.
   */
  readonly cooperativeMovesInOneRebalance: boolean;
  /**
   * Bug C2's eager half (`ConsumerCoordinator#onJoinPrepare`): an eager member rejoins without revoking its
   * partitions and keeps consuming them until its new assignment arrives.
   */
  readonly eagerRejoinWithoutRevoking: boolean;
}

/** A group request in flight: which API, and the membership it was sent with (its broker is the network client's). */
export interface InflightRequest {
  readonly api: GroupApi;
  readonly memberId: string;
  readonly generationId: number;
  /** The commit's request and history operation id, for OffsetCommit. */
  readonly commit?: { readonly request: OffsetCommitRequest; readonly operationId: number };
}

/** What the consumer's requests are, as its network client keeps them; a group request keeps its membership. */
export type ConsumerRequest =
  | { readonly kind: 'metadata' | 'findCoordinator' | 'fetch' | 'offsetsForLeaderEpoch' | 'listOffsets' }
  | { readonly kind: 'group'; readonly request: InflightRequest };

/** A membership effect held for the next poll, with the member and generation it was decided in. */
export interface QueuedEffect {
  readonly effect: MembershipEffect;
  readonly memberId: string;
  readonly generationId: number;
}

/** The coordinator lookup's backoff: lookups in a row that came to nothing, and the earliest the next may go. */
export interface FindBackoff {
  readonly attempts: number;
  readonly untilMs: number;
}

/** No lookup to back off from: a consumer that has not looked, or has found its coordinator. */
export const NO_FIND_BACKOFF: FindBackoff = { attempts: 0, untilMs: 0 };

/** The whole state of a group consumer. */
export interface ConsumerState {
  readonly clientId: string;
  readonly groupId: string;
  readonly bootstrapBrokers: readonly number[];
  readonly config: ConsumerConfig;
  readonly client: ConsumerClientSettings;
  readonly weakenings: ConsumerWeakenings;
  /** idle until subscribed; closed after close(); failed after a fatal group error. */
  readonly status: 'idle' | 'subscribed' | 'closed' | 'failed';
  readonly membership: Membership;
  readonly offsets: OffsetTracking;
  readonly processing: Processing;
  // Metadata.
  /** Brokers, leaders, and when to ask again (the client layer's `Metadata`, actors/client/metadata.ts). */
  readonly metadata: Metadata;
  readonly partitionCounts: Readonly<Record<string, number>>;
  /** Where the least loaded broker is looked for first; moves on after a Metadata or FindCoordinator request fails. */
  readonly nodeRotation: number;
  /** The correlation id of the Metadata request in flight. */
  readonly metadataInFlight: number | null;
  /** The partition counts the leader assigned with: a change makes it rebalance (Java's assignmentSnapshot). */
  readonly assignedCounts: Readonly<Record<string, number>> | null;
  // The coordinator.
  readonly coordinator: number | null;
  readonly findInFlight: number | null;
  /**
   * Lookups in a row that failed or found a coordinator whose connection is backing off: the next one waits
   * `retry.backoff.ms` doubled per attempt up to `retry.backoff.max.ms` (`AbstractCoordinator#ensureCoordinatorReady`),
   * and none goes before `untilMs`.
   */
  readonly findBackoff: FindBackoff;
  /** When the coordinator last answered a heartbeat (or completed a join): the client's side of the session. */
  readonly lastHeartbeatOkMs: number;
  /** Connections, correlation ids, every request in flight with its deadline, reconnect backoff (networkClient.ts). */
  readonly network: NetworkClient<ConsumerRequest>;
  /** When the request-deadline timer is set to fire, or null. */
  readonly deadlineTimerAtMs: number | null;
  /** Correlation ids of the JoinGroup and SyncGroup that count; answers to others are stale. */
  readonly joinCorrelationId: number | null;
  readonly syncCorrelationId: number | null;
  // The application.
  /** Between polls, inside poll() (waiting for records or a rebalance), or processing what the last poll returned. */
  readonly phase: 'waiting' | 'polling' | 'processing';
  /** The poll() in progress: its history operation id, and when its timeout passes. */
  readonly poll: { readonly operationId: number; readonly deadlineMs: number } | null;
  /**
   * When the poll-end and max.poll.interval.ms timers fire (null: none set). Each is set only when none is pending
   * and set again when it fires early for the deadline then in force, so a consumer that polls often does not set
   * two timers per poll.
   */
  readonly pollEndTimerAtMs: number | null;
  readonly pollTimeoutTimerAtMs: number | null;
  /** Fetches in flight and records fetched but not yet returned by poll() (actors/client/fetcher.ts). */
  readonly fetcher: Fetcher;
  /** The leader epochs of the positions, and their validation after a leader change (KIP-320). */
  readonly validation: PositionValidation;
  /** ListOffsets in flight for offset resets, by correlation id: the partition and the broker asked. */
  readonly resets: Readonly<Record<number, { readonly key: string; readonly node: number }>>;
  /** Membership effects to carry out in the next poll (rebalance callbacks run in the poll thread). */
  readonly queued: readonly QueuedEffect[];
  /** The OffsetCommit the queued effects wait for (a revocation commits before the member rejoins). */
  readonly blockingCommit: number | null;
  /** Bug C2's client only: partitions lost with a generation that the next JoinGroup still claims. */
  readonly staleClaim: StaleClaim | null;
  /** The partitions the member consumes now, as last reported, and the membership it holds them in. */
  readonly owned: { readonly partitions: readonly string[]; readonly memberId: string; readonly generationId: number };
  readonly nextOperationId: number;
}

/** The timers the rules set; each fires back into the machine as this event. */
export type ConsumerTimerEvent =
  | { type: 'consumer.poll' }
  | { type: 'consumer.pollEnd' }
  | { type: 'consumer.processed' }
  | { type: 'consumer.heartbeat' }
  | { type: 'consumer.pollTimeout' }
  | { type: 'consumer.metadata' }
  | { type: 'consumer.findCoordinator' }
  | { type: 'consumer.deadline' };

/** What a rule asks the machine to do. */
export type ConsumerEffect =
  | { kind: 'send'; to: string; message: KafkaMessage | GroupMessage }
  | { kind: 'persist'; data: { subscribed: boolean } }
  | { kind: 'timer'; id: string; delayMs: number; event: ConsumerTimerEvent }
  | { kind: 'cancel'; id: string }
  | { kind: 'note'; data: unknown }
  | { kind: 'disconnect'; to: string };
