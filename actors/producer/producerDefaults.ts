// The producer's settings in one place, each next to the Java client's config name (Kafka 3.9 `ProducerConfig`,
// `CommonClientConfigs`). Times are virtual milliseconds.

/** How records without a key and without a partition are placed; see choosePartition. */
export type NullKeyPartitioner = 'round-robin' | 'sticky';

/** The acks setting as the user writes it: 'all' is -1. */
export type Acks = 'all' | -1 | 0 | 1;

/** Every producer setting the simulator models, as a user may give them (all optional in resolveProducerConfig). */
export interface ProducerSettings {
  readonly acks: Acks;
  readonly lingerMs: number;
  readonly batchSize: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly deliveryTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly enableIdempotence: boolean;
  readonly maxRequestSize: number;
  readonly metadataMaxAgeMs: number;
  readonly maxBlockMs: number;
  readonly partitioner: NullKeyPartitioner;
}

/** The Java client's defaults (3.9) for the settings above, with the seeds' round-robin rule for null keys. */
export const producerDefaults: ProducerSettings = {
  acks: 'all', // acks (= -1; the default since 3.0, KIP-679)
  lingerMs: 0, // linger.ms (0 in 3.9; 4.0 raised it to 5, KIP-1030)
  batchSize: 16_384, // batch.size (bytes)
  retries: 2_147_483_647, // retries (Integer.MAX_VALUE: delivery.timeout.ms is the real bound)
  retryBackoffMs: 100, // retry.backoff.ms (first retry)
  retryBackoffMaxMs: 1_000, // retry.backoff.max.ms (exponential backoff cap, KIP-580, 3.7)
  deliveryTimeoutMs: 120_000, // delivery.timeout.ms
  requestTimeoutMs: 30_000, // request.timeout.ms
  maxInFlightRequestsPerConnection: 5, // max.in.flight.requests.per.connection
  enableIdempotence: true, // enable.idempotence (the default since 3.0, KIP-679)
  maxRequestSize: 1_048_576, // max.request.size (bytes)
  metadataMaxAgeMs: 300_000, // metadata.max.age.ms
  maxBlockMs: 60_000, // max.block.ms (how long send() waits for the topic's metadata)
  // No Kafka setting: the seeds place null keys round-robin (DefaultPartitioner before 2.4, kafkajs); 'sticky' is
  // KIP-480's StickyPartitionCache (2.4-3.2). Java 3.3+ uses the uniform sticky BuiltInPartitioner (KIP-794).
  partitioner: 'round-robin',
};

/** Kafka's names for the settings, for error messages that a Kafka user recognises. */
export const producerConfigNames: Readonly<Record<keyof ProducerSettings, string>> = {
  acks: 'acks',
  lingerMs: 'linger.ms',
  batchSize: 'batch.size',
  retries: 'retries',
  retryBackoffMs: 'retry.backoff.ms',
  retryBackoffMaxMs: 'retry.backoff.max.ms',
  deliveryTimeoutMs: 'delivery.timeout.ms',
  requestTimeoutMs: 'request.timeout.ms',
  maxInFlightRequestsPerConnection: 'max.in.flight.requests.per.connection',
  enableIdempotence: 'enable.idempotence',
  maxRequestSize: 'max.request.size',
  metadataMaxAgeMs: 'metadata.max.age.ms',
  maxBlockMs: 'max.block.ms',
  partitioner: 'partitioner (simulator setting)',
};
