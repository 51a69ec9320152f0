// The reader's settings in one place, each next to the Java consumer's config name (Kafka 3.9 `ConsumerConfig`,
// `CommonClientConfigs`). Times are virtual milliseconds. Scenarios override them through the reader's input.

/** Every reader setting the simulator models (all optional in the reader's input). */
export interface ReaderSettings {
  readonly maxPollRecords: number;
  readonly requestTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly metadataMaxAgeMs: number;
  readonly retryBackoffMs: number;
}

/** The Java consumer's defaults (3.9) for the settings above, and the workload's pause between polls. */
export const readerDefaults: ReaderSettings = {
  maxPollRecords: 500, // max.poll.records (sent as the fetch's maxRecords)
  requestTimeoutMs: 30_000, // request.timeout.ms (also bounds how long one poll waits for its fetches)
  // No Kafka setting: how long the application waits after poll() returns before it calls poll() again.
  pollIntervalMs: 100,
  metadataMaxAgeMs: 300_000, // metadata.max.age.ms
  retryBackoffMs: 100, // retry.backoff.ms (the fixed pause between metadata requests; no exponential backoff)
};

/** Kafka's names for the settings, for error messages that a Kafka user recognises. */
export const readerConfigNames: Readonly<Record<keyof ReaderSettings, string>> = {
  maxPollRecords: 'max.poll.records',
  requestTimeoutMs: 'request.timeout.ms',
  pollIntervalMs: 'pollIntervalMs (simulator setting)',
  metadataMaxAgeMs: 'metadata.max.age.ms',
  retryBackoffMs: 'retry.backoff.ms',
};
