// What each role is booted with for a resolved scenario: the Kafka version's profile, the scenario's settings over
// it, topic configs folded into the brokers' and the controller's settings, and the weakenings applied on top: a
// weakening is either a change of settings (acks-1, unclean elections) or a flag the role it weakens reads.
import type { BrokerInput } from '../../actors/broker/brokerMachine.ts';
import type { ControllerConfig } from '../../actors/controller/controllerDefaults.ts';
import type { ConsumerWeakenings } from '../../actors/consumer/ConsumerState.ts';
import type { ProducerWeakenings } from '../../actors/producer/producerContext.ts';
import type { ProducerSettings } from '../../actors/producer/producerDefaults.ts';
import type { WeakeningName } from './weakenings.ts';
import { isZooKeeperMode, kafkaProfileOf, type KafkaSpec } from './kafkaProfile.ts';
import type { TopicSpec } from './Scenario.ts';

/** The settings every role gets in one run. */
export interface RoleConfigs {
  broker: NonNullable<BrokerInput['config']>;
  controller: Partial<ControllerConfig>;
  /** The version profile's producer settings, under each producer's own. */
  producerProfile: Partial<ProducerSettings>;
  /** Applied over each producer's own settings. */
  producerOverrides: Partial<ProducerSettings>;
  /** The producers' weakenings. */
  producerWeakenings: ProducerWeakenings;
  /** The group consumers' weakenings. */
  consumerWeakenings: ConsumerWeakenings;
}

/** The roles' settings for a scenario's broker/controller sections, topics and weakenings. */
export function roleConfigs(input: {
  broker?: Record<string, unknown> | undefined;
  controller?: Record<string, unknown> | undefined;
  topics: readonly TopicSpec[];
  weakenings: readonly WeakeningName[];
  kafka?: KafkaSpec | undefined;
}): RoleConfigs {
  const profile = kafkaProfileOf(input.kafka);
  const on = new Set(input.weakenings);
  const topicMinInsyncReplicas: Record<string, number> = {};
  for (const topic of input.topics) {
    if (topic.minInsyncReplicas !== undefined) topicMinInsyncReplicas[topic.name] = topic.minInsyncReplicas;
  }
  const unclean = on.has('unclean-leader-election');
  const broker: RoleConfigs['broker'] = {
    ...(input.broker as RoleConfigs['broker']),
    // Jepsen's 2013 setting under `unclean-leader-election`: an ISR of one accepts acks=all writes.
    ...(unclean ? { minInsyncReplicas: 1 } : {}),
    topicMinInsyncReplicas: unclean ? Object.fromEntries(Object.keys(topicMinInsyncReplicas).map((topic) => [topic, 1])) : topicMinInsyncReplicas,
    weakenings: {
      truncateToHighWatermark: on.has('truncate-to-high-watermark'),
      noFetchEpochFencing: on.has('no-fetch-epoch-fencing'),
      noGenerationFencing: on.has('no-generation-fencing'),
      staticMemberIdNotReplaced: on.has('static-member-id-not-replaced'),
      producerStateNotReplicated: on.has('producer-state-not-replicated'),
      dedupWindowOneBatch: on.has('dedup-window-one-batch'),
      fetchBeyondHighWatermark: on.has('fetch-beyond-high-watermark'),
      offsetCommitAcksOne: on.has('offset-commit-acks-1'),
      assignmentBeforeCommit: on.has('assignment-before-commit'),
      producerStateLostOnRestart: on.has('producer-state-lost-on-restart'),
      highWatermarkFromLeaderAlone: on.has('high-watermark-from-leader-alone'),
    },
  };
  // The controller reads min.insync.replicas too (Eligible Leader Replicas depend on it), as Kafka's does from
  // the topic configs and the cluster default.
  const minInsyncReplicas = broker.minInsyncReplicas;
  const controller: Partial<ControllerConfig> = {
    ...profile.controller,
    ...(input.controller as Partial<ControllerConfig>),
    ...(minInsyncReplicas === undefined ? {} : { minInsyncReplicas }),
    topicMinInsyncReplicas: broker.topicMinInsyncReplicas ?? {},
    ...(unclean ? { uncleanLeaderElectionEnable: true } : {}),
  };
  // In ZooKeeper mode the controller is a broker, and reads its settings from the broker's config.
  if (isZooKeeperMode(input.kafka)) {
    const { autoLeaderRebalanceEnable, leaderImbalanceCheckIntervalMs, leaderImbalancePerBrokerPercentage } = controller;
    Object.assign(broker, {
      metadataMode: 'zookeeper',
      uncleanLeaderElectionEnable: controller.uncleanLeaderElectionEnable === true,
      ...(autoLeaderRebalanceEnable === undefined ? {} : { autoLeaderRebalanceEnable }),
      ...(leaderImbalanceCheckIntervalMs === undefined ? {} : { leaderImbalanceCheckIntervalMs }),
      ...(leaderImbalancePerBrokerPercentage === undefined ? {} : { leaderImbalancePerBrokerPercentage }),
    });
  }
  const producerOverrides: Partial<ProducerSettings> = {};
  if (on.has('acks-1')) Object.assign(producerOverrides, { acks: 1, enableIdempotence: false });
  if (on.has('non-idempotent-retries')) {
    Object.assign(producerOverrides, { enableIdempotence: false, retries: 2_147_483_647, maxInFlightRequestsPerConnection: 5 });
  }
  const consumerWeakenings: ConsumerWeakenings = {
    commitBeforeProcessing: on.has('commit-before-processing'),
    trustStaleOwnedPartitions: on.has('cooperative-trusts-stale-owned-partitions'),
    cooperativeMovesInOneRebalance: on.has('cooperative-moves-in-one-rebalance'),
    eagerRejoinWithoutRevoking: on.has('eager-rejoin-without-revoking'),
  };
  const producerWeakenings: ProducerWeakenings = { notLeaderIsDefinite: on.has('not-leader-is-definite'), timeoutIsDefinite: on.has('timeout-is-definite') };
  return { broker, controller, producerProfile: profile.producer, producerOverrides, producerWeakenings, consumerWeakenings };
}
