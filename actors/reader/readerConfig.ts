import { ArgumentError } from '../../src/kernel/argumentError.ts';
import { readerPartition, type ReaderPartition } from './ReaderPartition.ts';
import { readerConfigNames, readerDefaults, type ReaderSettings } from './readerDefaults.ts';

/** What a reader is told to read, and its settings (each optional; Kafka's default otherwise). */
export interface ReaderOptions extends Partial<ReaderSettings> {
  /** Broker ids to ask for metadata first (bootstrap.servers). */
  readonly bootstrapBrokers: readonly number[];
  /** Topics to read entirely: every partition metadata names. */
  readonly topics?: readonly string[];
  /** Single partitions to read (KafkaConsumer.assign), beside the topics. */
  readonly partitions?: readonly { topic: string; partition: number }[];
}

/** A resolved reader configuration: every setting present, the request checked. */
export interface ReaderConfig extends ReaderSettings {
  readonly bootstrapBrokers: readonly number[];
  readonly topics: readonly string[];
  readonly partitions: readonly ReaderPartition[];
}

const WHERE = 'readerMachine input';

/** Checks the reader's input and fills in the defaults; misuse throws an ArgumentError naming the field. */
export function resolveReaderConfig(options: ReaderOptions): ReaderConfig {
  const { bootstrapBrokers, topics = [], partitions = [] } = options;
  if (!Array.isArray(bootstrapBrokers) || bootstrapBrokers.length === 0 || !bootstrapBrokers.every(isBrokerId)) {
    throw new ArgumentError(WHERE, 'bootstrapBrokers', bootstrapBrokers, 'a non-empty array of broker ids (integers >= 0)');
  }
  if (!Array.isArray(topics) || !topics.every((t) => typeof t === 'string' && t !== '')) {
    throw new ArgumentError(WHERE, 'topics', topics, 'an array of topic names');
  }
  if (!Array.isArray(partitions) || !partitions.every(isPartition)) {
    throw new ArgumentError(WHERE, 'partitions', partitions, 'an array of { topic, partition } with partition an integer >= 0');
  }
  if (topics.length === 0 && partitions.length === 0) {
    throw new ArgumentError(WHERE, 'topics', topics, 'non-empty when no partitions are given (nothing to read)');
  }
  const settings = { ...readerDefaults };
  for (const name of Object.keys(readerDefaults) as (keyof ReaderSettings)[]) {
    const value = options[name];
    if (value === undefined) continue;
    const min = name === 'maxPollRecords' || name === 'requestTimeoutMs' || name === 'pollTimeoutMs' || name === 'fetchMaxBytes' || name === 'maxPartitionFetchBytes' ? 1 : 0;
    if (!Number.isInteger(value) || value < min) {
      throw new ArgumentError(WHERE, `${name} (${readerConfigNames[name]})`, value, `an integer >= ${min}`);
    }
    settings[name] = value;
  }
  return {
    ...settings,
    bootstrapBrokers: [...bootstrapBrokers],
    topics: [...new Set(topics)],
    partitions: dedupe(partitions.map((p) => readerPartition(p.topic, p.partition))),
  };
}

function isBrokerId(id: unknown): boolean {
  return Number.isInteger(id) && (id as number) >= 0;
}

function isPartition(p: unknown): boolean {
  if (p === null || typeof p !== 'object') return false;
  const { topic, partition } = p as { topic?: unknown; partition?: unknown };
  return typeof topic === 'string' && topic !== '' && isBrokerId(partition);
}

function dedupe(partitions: readonly ReaderPartition[]): ReaderPartition[] {
  const seen = new Set<string>();
  return partitions.filter((p) => !seen.has(p.key) && seen.add(p.key));
}
