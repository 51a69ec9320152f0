// Which partitions the reader reads, decided once metadata has named them. The reader uses manual assignment
// (KafkaConsumer.assign): no group, no rebalance; a topic stands for every partition metadata lists, and the
// reader adds partitions created later as it sees them in metadata (as an application re-assigning would).
import type { MetadataResponse } from '../../src/protocol/messages.ts';
import type { ReaderConfig } from './readerConfig.ts';
import { readerPartition, type ReaderPartition } from './ReaderPartition.ts';

/** The topics the reader asks metadata for: its topics, then those of its single partitions, each once. */
export function metadataTopics(config: Pick<ReaderConfig, 'topics' | 'partitions'>): string[] {
  return [...new Set([...config.topics, ...config.partitions.map((p) => p.topic)])];
}

/**
 * The assignment once `response` shows every requested topic without error and every single partition
 * asked for, or undefined while it does not (a topic not created yet: ask again). Topics come in the order
 * given, their partitions by number, then the single partitions in the order given, each partition once.
 */
export function resolveAssignment(
  config: Pick<ReaderConfig, 'topics' | 'partitions'>,
  response: Pick<MetadataResponse, 'partitions' | 'topicErrors'>,
): ReaderPartition[] | undefined {
  const byTopic = new Map<string, number[]>();
  for (const state of response.partitions) {
    const numbers = byTopic.get(state.topic) ?? [];
    numbers.push(state.partition);
    byTopic.set(state.topic, numbers);
  }
  const isKnown = (topic: string): boolean => response.topicErrors[topic] === undefined && byTopic.has(topic);
  if (!config.topics.every(isKnown)) return undefined;
  if (!config.partitions.every((p) => isKnown(p.topic) && byTopic.get(p.topic)?.includes(p.partition))) return undefined;
  const assignment: ReaderPartition[] = [];
  const seen = new Set<string>();
  const add = (p: ReaderPartition): void => {
    if (seen.has(p.key)) return;
    seen.add(p.key);
    assignment.push(p);
  };
  for (const topic of config.topics) {
    const numbers = [...new Set(byTopic.get(topic))].sort((a, b) => a - b);
    for (const n of numbers) add(readerPartition(topic, n));
  }
  for (const p of config.partitions) add(p);
  return assignment;
}
