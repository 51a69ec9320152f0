// The group consumer's settings in one place, each next to the Java consumer's config name (Kafka 3.9
// `ConsumerConfig`, `CommonClientConfigs`, `GroupRebalanceConfig`). Times are virtual milliseconds. Scenarios
// override them through the consumer's input; `resolveConsumerConfig` checks the overrides.
import { assignmentStrategies, type AssignmentStrategy } from '../assignors/assignPartitions.ts';
import { ArgumentError } from '../../src/kernel/argumentError.ts';

/** What the consumer does for a partition with no committed offset (`auto.offset.reset`). */
export type AutoOffsetReset = 'earliest' | 'latest' | 'none';

/** Every group consumer setting the simulator models (all optional in the consumer's input). */
export interface ConsumerSettings {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly enableAutoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly autoOffsetReset: AutoOffsetReset;
  readonly maxPollRecords: number;
  readonly partitionAssignmentStrategy: readonly AssignmentStrategy[];
  /** Static membership (KIP-345); undefined for a dynamic member. */
  readonly groupInstanceId: string | undefined;
  readonly processingTimeMs: number;
}

/** A resolved configuration: every setting present, plus the values Kafka derives from them. */
export interface ConsumerConfig extends ConsumerSettings {
  /** The JoinGroup's rebalance timeout: the Java consumer sends max.poll.interval.ms (`GroupRebalanceConfig`). */
  readonly rebalanceTimeoutMs: number;
}

/** The Java consumer's defaults (3.9) for the settings above, and the simulator's processing time. */
export const consumerDefaults: ConsumerSettings = {
  sessionTimeoutMs: 45_000, // session.timeout.ms (45000 since 3.0, KIP-735)
  heartbeatIntervalMs: 3_000, // heartbeat.interval.ms (must stay below session.timeout.ms; 1/3 of it is advised)
  maxPollIntervalMs: 300_000, // max.poll.interval.ms (KIP-62; also the rebalance timeout)
  enableAutoCommit: true, // enable.auto.commit
  autoCommitIntervalMs: 5_000, // auto.commit.interval.ms
  // auto.offset.reset: Kafka's default is 'latest'; the simulator's scenarios usually set 'earliest' so that a
  // group started after the producers still reads everything.
  autoOffsetReset: 'latest',
  maxPollRecords: 500, // max.poll.records
  partitionAssignmentStrategy: ['range', 'cooperative-sticky'], // partition.assignment.strategy (3.0+ default)
  groupInstanceId: undefined, // group.instance.id (none: a dynamic member)
  // No Kafka setting: the virtual time the application spends on each record between two polls.
  processingTimeMs: 10,
};

/** Kafka's names for the settings, for error messages that a Kafka user recognises. */
export const consumerConfigNames: Readonly<Record<keyof ConsumerSettings, string>> = {
  sessionTimeoutMs: 'session.timeout.ms',
  heartbeatIntervalMs: 'heartbeat.interval.ms',
  maxPollIntervalMs: 'max.poll.interval.ms',
  enableAutoCommit: 'enable.auto.commit',
  autoCommitIntervalMs: 'auto.commit.interval.ms',
  autoOffsetReset: 'auto.offset.reset',
  maxPollRecords: 'max.poll.records',
  partitionAssignmentStrategy: 'partition.assignment.strategy',
  groupInstanceId: 'group.instance.id',
  processingTimeMs: 'processingTimeMs (simulator setting)',
};

const WHERE = 'consumer config';
const positiveIntegers = ['sessionTimeoutMs', 'heartbeatIntervalMs', 'maxPollIntervalMs', 'autoCommitIntervalMs', 'maxPollRecords'] as const;

/** Fills in the defaults and checks the overrides as `ConsumerConfig`'s validators do; misuse throws. */
export function resolveConsumerConfig(options: Partial<ConsumerSettings> = {}): ConsumerConfig {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const settings: ConsumerSettings = { ...consumerDefaults, ...defined };
  for (const name of positiveIntegers) {
    const value = settings[name];
    if (!Number.isInteger(value) || value < 1) fail(name, value, 'an integer >= 1');
  }
  if (!Number.isInteger(settings.processingTimeMs) || settings.processingTimeMs < 0) {
    fail('processingTimeMs', settings.processingTimeMs, 'an integer >= 0');
  }
  // AbstractCoordinator's constructor: heartbeats must come more often than the session times out.
  if (settings.heartbeatIntervalMs >= settings.sessionTimeoutMs) {
    fail('heartbeatIntervalMs', settings.heartbeatIntervalMs, `below session.timeout.ms (${settings.sessionTimeoutMs})`);
  }
  if (!['earliest', 'latest', 'none'].includes(settings.autoOffsetReset)) {
    fail('autoOffsetReset', settings.autoOffsetReset, "'earliest', 'latest' or 'none'");
  }
  const strategies = settings.partitionAssignmentStrategy;
  if (!Array.isArray(strategies) || strategies.length === 0 || !strategies.every((s) => assignmentStrategies.includes(s))) {
    fail('partitionAssignmentStrategy', strategies, `a non-empty list of ${assignmentStrategies.join(', ')}`);
  }
  if (settings.groupInstanceId !== undefined && (typeof settings.groupInstanceId !== 'string' || settings.groupInstanceId === '')) {
    fail('groupInstanceId', settings.groupInstanceId, 'a non-empty string, or undefined for a dynamic member');
  }
  return { ...settings, partitionAssignmentStrategy: [...strategies], rebalanceTimeoutMs: settings.maxPollIntervalMs };
}

function fail(name: keyof ConsumerSettings, value: unknown, allowed: string): never {
  throw new ArgumentError(WHERE, `${name} (${consumerConfigNames[name]})`, value, allowed);
}
