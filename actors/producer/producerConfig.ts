import { describeValue } from '../../src/kernel/argumentError.ts';
import { producerConfigNames, producerDefaults } from './producerDefaults.ts';
import type { NullKeyPartitioner, ProducerSettings } from './producerDefaults.ts';

/** A resolved producer configuration: every setting present, acks as a number, idempotence decided. */
export interface ProducerConfig extends Omit<ProducerSettings, 'acks'> {
  readonly acks: -1 | 0 | 1;
}

/**
 * A bad producer configuration, like Kafka's `ConfigException`: names the setting (with Kafka's name), the value
 * and what is allowed.
 */
export class ConfigException extends Error {
  override readonly name = 'ConfigException';

  constructor(
    readonly setting: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`Invalid value ${describeValue(value)} for configuration ${kafkaName(setting)}: ${allowed}`);
  }
}

const MAX_INT = 2_147_483_647;
// ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE: the broker remembers 5 batches per producer.
const MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

// The range each numeric setting accepts (ProducerConfig's `atLeast` / `between` validators).
const integerRanges: Readonly<Partial<Record<keyof ProducerSettings, readonly [number, number]>>> = {
  lingerMs: [0, Number.MAX_SAFE_INTEGER],
  batchSize: [0, MAX_INT],
  retries: [0, MAX_INT],
  retryBackoffMs: [0, Number.MAX_SAFE_INTEGER],
  retryBackoffMaxMs: [0, Number.MAX_SAFE_INTEGER],
  deliveryTimeoutMs: [0, MAX_INT],
  requestTimeoutMs: [0, MAX_INT],
  maxInFlightRequestsPerConnection: [1, MAX_INT],
  maxRequestSize: [0, MAX_INT],
  metadataMaxAgeMs: [0, Number.MAX_SAFE_INTEGER],
  maxBlockMs: [0, Number.MAX_SAFE_INTEGER],
};
const partitioners: readonly NullKeyPartitioner[] = ['round-robin', 'sticky'];

/**
 * The configuration a producer runs with: Kafka's defaults for what `settings` leaves out, after Kafka's checks
 * (`ProducerConfig#postProcessAndValidateIdempotenceConfigs`, `KafkaProducer#configureDeliveryTimeout`, 3.9):
 * - idempotence needs `retries > 0`, `acks = all` and at most 5 requests in flight; when the user set
 *   `enableIdempotence: true` a conflict throws, when idempotence is only the default it is silently turned off;
 * - `deliveryTimeoutMs` must be at least `lingerMs + requestTimeoutMs`: a user value below throws, the default
 *   is raised to that sum.
 * Throws ConfigException for an unknown setting or a value of the wrong type or range.
 */
export function resolveProducerConfig(settings: Partial<ProducerSettings> = {}): ProducerConfig {
  validate(settings);
  const merged = { ...producerDefaults, ...settings };
  const acks = merged.acks === 'all' ? -1 : merged.acks;
  const explicitIdempotence = settings.enableIdempotence !== undefined;
  let enableIdempotence = merged.enableIdempotence;
  if (enableIdempotence) {
    const conflicts: Array<[keyof ProducerSettings, boolean, string]> = [
      ['retries', merged.retries === 0, 'must be non-zero when using the idempotent producer (or set enable.idempotence=false)'],
      ['acks', acks !== -1, "must be 'all' to use the idempotent producer (or set enable.idempotence=false)"],
      [
        'maxInFlightRequestsPerConnection',
        merged.maxInFlightRequestsPerConnection > MAX_IN_FLIGHT_FOR_IDEMPOTENCE,
        `must be at most ${MAX_IN_FLIGHT_FOR_IDEMPOTENCE} to use the idempotent producer (or set enable.idempotence=false)`,
      ],
    ];
    for (const [setting, conflicting, allowed] of conflicts) {
      if (!conflicting) continue;
      if (explicitIdempotence) throw new ConfigException(setting, merged[setting], allowed);
      enableIdempotence = false;
    }
  }
  const lingerAndRequestTimeoutMs = Math.min(merged.lingerMs + merged.requestTimeoutMs, MAX_INT);
  let deliveryTimeoutMs = merged.deliveryTimeoutMs;
  if (deliveryTimeoutMs < lingerAndRequestTimeoutMs) {
    if (settings.deliveryTimeoutMs !== undefined) {
      const allowed = `must be >= linger.ms + request.timeout.ms (${lingerAndRequestTimeoutMs})`;
      throw new ConfigException('deliveryTimeoutMs', deliveryTimeoutMs, allowed);
    }
    deliveryTimeoutMs = lingerAndRequestTimeoutMs;
  }
  return { ...merged, acks, enableIdempotence, deliveryTimeoutMs };
}

function validate(settings: Partial<ProducerSettings>): void {
  if (typeof settings !== 'object' || settings === null) {
    throw new ConfigException('settings', settings, 'must be an object of producer settings');
  }
  for (const [setting, value] of Object.entries(settings)) {
    if (!Object.hasOwn(producerDefaults, setting)) {
      throw new ConfigException(setting, value, `is not a producer setting (known: ${Object.keys(producerDefaults).join(', ')})`);
    }
    const range = integerRanges[setting as keyof ProducerSettings];
    if (range !== undefined) {
      const [min, max] = range;
      if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
        throw new ConfigException(setting, value, `must be an integer in [${min}, ${max}]`);
      }
    }
  }
  if (settings.acks !== undefined && !(['all', -1, 0, 1] as unknown[]).includes(settings.acks)) {
    throw new ConfigException('acks', settings.acks, "must be one of 'all', -1, 0, 1");
  }
  if (settings.enableIdempotence !== undefined && typeof settings.enableIdempotence !== 'boolean') {
    throw new ConfigException('enableIdempotence', settings.enableIdempotence, 'must be true or false');
  }
  if (settings.partitioner !== undefined && !partitioners.includes(settings.partitioner)) {
    throw new ConfigException('partitioner', settings.partitioner, `must be one of ${partitioners.map((p) => `'${p}'`).join(', ')}`);
  }
}

function kafkaName(setting: string): string {
  return Object.hasOwn(producerConfigNames, setting) ? `${producerConfigNames[setting as keyof ProducerSettings]} (${setting})` : setting;
}
