// The topic-partition tuple that group protocol bodies carry (assignments, owned partitions).

/** A partition of a topic, Kafka's `TopicPartition` as a `[topic, partition]` pair. */
export type TopicPartition = [topic: string, partition: number];
