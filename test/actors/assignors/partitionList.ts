import type { TopicPartition } from '../../../actors/assignors/TopicPartition.ts';

/**
 * Partitions written the way Kafka's assignor tests print them, `"t1-0, t1-3, t2-0"`, parsed into a list; the
 * partition number follows the last '-'. An empty string is no partitions.
 */
export function partitionList(text: string): TopicPartition[] {
  if (text.trim() === '') return [];
  return text.split(',').map((item): TopicPartition => {
    const name = item.trim();
    const dash = name.lastIndexOf('-');
    return [name.slice(0, dash), Number(name.slice(dash + 1))];
  });
}
