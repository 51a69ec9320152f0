import { topicPartitionKey } from '../../src/protocol/messages.ts';

/** A partition the reader is assigned, with its key as Kafka prints it (`orders-3`), the history's key too. */
export interface ReaderPartition {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
}

/** A ReaderPartition for `topic`-`partition`. */
export function readerPartition(topic: string, partition: number): ReaderPartition {
  return { topic, partition, key: topicPartitionKey(topic, partition) };
}
