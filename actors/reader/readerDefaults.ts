// The reader's settings in one place, each next to the Java consumer's config name (Kafka 3.9 `ConsumerConfig`,
// `CommonClientConfigs`). Times are virtual milliseconds. Scenarios override them through the reader's input.
import { fetchDefaults, fetchSettingNames, type FetchSettings } from '../client/fetcher.ts';

/** Every reader setting the simulator models (all optional in the reader's input). */
export interface ReaderSettings extends FetchSettings {
  readonly maxPollRecords: number;
  readonly requestTimeoutMs: number;
  readonly pollTimeoutMs: number;
  readonly metadataMaxAgeMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

/** The Java consumer's defaults (3.9) for the settings above, and the workload's pause between polls. */
export const readerDefaults: ReaderSettings = {
  ...fetchDefaults,
  maxPollRecords: 500, // max.poll.records (how many buffered records one poll() returns)
  requestTimeoutMs: 30_000, // request.timeout.ms
  // No Kafka setting: the Duration the application passes to poll(), how long it waits for records to arrive.
  pollTimeoutMs: 1_000,
  metadataMaxAgeMs: 300_000, // metadata.max.age.ms
  retryBackoffMs: 100, // retry.backoff.ms (the first pause between metadata requests, doubling while they fail)
  retryBackoffMaxMs: 1_000, // retry.backoff.max.ms (KIP-580, 3.7)
};

/** Kafka's names for the settings, for error messages that a Kafka user recognises. */
export const readerConfigNames: Readonly<Record<keyof ReaderSettings, string>> = {
  maxPollRecords: 'max.poll.records',
  ...fetchSettingNames,
  requestTimeoutMs: 'request.timeout.ms',
  pollTimeoutMs: 'pollTimeoutMs (the poll() timeout, a simulator setting)',
  metadataMaxAgeMs: 'metadata.max.age.ms',
  retryBackoffMs: 'retry.backoff.ms',
  retryBackoffMaxMs: 'retry.backoff.max.ms',
};
