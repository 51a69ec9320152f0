// Kafka version profiles: the defaults and features that differ between the Kafka versions the simulator models,
// in one table. A scenario names its version (`kafka: { version }`); the profile's settings go under the
// scenario's own, so an explicit setting always wins. The roles' own defaults files hold Kafka 3.9's values; a
// profile lists only what a version changes.
import type { ControllerConfig } from '../../actors/controller/controllerDefaults.ts';
import type { ProducerSettings } from '../../actors/producer/producerDefaults.ts';

/** The Kafka versions with a profile. */
export const kafkaVersions = ['3.9', '4.1'] as const;

/** A Kafka version with a profile. */
export type KafkaVersion = (typeof kafkaVersions)[number];

/** Where a cluster keeps its metadata: a KRaft controller quorum, or ZooKeeper (Kafka 3.9 and before). */
export const metadataModes = ['kraft', 'zookeeper'] as const;

/** A metadata mode. */
export type MetadataMode = (typeof metadataModes)[number];

/** A scenario's `kafka` section. */
export interface KafkaSpec {
  version: KafkaVersion;
  /** Absent: 'kraft'. ZooKeeper mode needs version 3.9, the last release that has it. */
  metadata?: MetadataMode;
}

/**
 * What the command line and the property arbitraries name a profile by: a version (KRaft), or `3.9-zookeeper`,
 * Kafka 3.9 in ZooKeeper mode.
 */
export const kafkaProfileNames = [...kafkaVersions, '3.9-zookeeper'] as const;

/** A profile name. */
export type KafkaProfileName = (typeof kafkaProfileNames)[number];

/** The `kafka` section a profile name stands for. */
export function kafkaSpecOf(name: KafkaProfileName): KafkaSpec {
  return name === '3.9-zookeeper' ? { version: '3.9', metadata: 'zookeeper' } : { version: name };
}

/** Whether a scenario's cluster runs in ZooKeeper mode. */
export function isZooKeeperMode(kafka: KafkaSpec | undefined): boolean {
  return kafka?.metadata === 'zookeeper';
}

/**
 * The version a scenario runs when it names none: 4.1, the newest modelled. Most clusters now run 4.x, and new
 * 4.1 clusters have Eligible Leader Replicas on, so this is what a user today deploys.
 */
export const defaultKafkaVersion: KafkaVersion = '4.1';

/** What a version sets, by role, in the roles' own setting names. */
export interface KafkaProfile {
  readonly producer: Partial<ProducerSettings>;
  readonly controller: Partial<ControllerConfig>;
}

/** Each version's settings; README "Kafka versions" shows the same table. */
export const kafkaProfiles: Readonly<Record<KafkaVersion, KafkaProfile>> = {
  '3.9': {
    producer: { lingerMs: 0 }, // linger.ms
    controller: { eligibleLeaderReplicasVersion: 0 }, // ELR exists behind the feature, off
  },
  '4.1': {
    producer: { lingerMs: 5 }, // linger.ms raised to 5 in 4.0 (KIP-1030)
    // eligible.leader.replicas.version=1 for new clusters from 4.1 (KIP-966): ELR, clean-shutdown detection
    controller: { eligibleLeaderReplicasVersion: 1 },
  },
};

/** The profile of a scenario's `kafka` section (the default version's when it has none). */
export function kafkaProfileOf(kafka: KafkaSpec | undefined): KafkaProfile {
  return kafkaProfiles[kafka?.version ?? defaultKafkaVersion];
}
