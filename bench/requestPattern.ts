// How many deliveries Kafka's own request pattern implies, to put the simulator's counts beside. Counted from
// Kafka's clients and brokers as they behave with their defaults, every request and its response counted as two
// deliveries (the simulator counts one per message that reaches a node):
// - a broker heartbeats the controller every broker.heartbeat.interval.ms (2 s);
// - a follower broker keeps one Fetch in flight to each leader it follows a partition of (one fetcher per source
//   broker), which the leader holds for replica.fetch.wait.max.ms (500 ms) when there is nothing new, and answers as
//   soon as anything is appended;
// - a consumer (reader) keeps one Fetch in flight to each leader of its partitions, held fetch.max.wait.ms
//   (500 ms), answered as soon as the high watermark moves;
// - a group member heartbeats its coordinator every heartbeat.interval.ms (3 s);
// - metadata refreshes (metadata.max.age.ms, 5 min) add under one delivery a minute per client and are left out.
// With records flowing, each ProduceRequest costs its request and response, and each append wakes every follower
// fetch and consumer fetch parked at that leader (a response and the next request each).

/** What a cluster holds, for the count. */
export interface ClusterShape {
  readonly brokers: number;
  /** Leader-to-follower fetcher pairs: ordered broker pairs where one leads a partition the other replicates. */
  readonly fetcherPairs: number;
  /** Consumer-to-leader fetch sessions: for each consumer, the brokers leading a partition it reads. */
  readonly consumerSessions: number;
  readonly groupMembers: number;
}

const BROKER_HEARTBEAT_INTERVAL_MS = 2_000;
const REPLICA_FETCH_WAIT_MAX_MS = 500;
const FETCH_MAX_WAIT_MS = 500;
const GROUP_HEARTBEAT_INTERVAL_MS = 3_000;

/** Deliveries per virtual second of an idle cluster (no records flowing), by Kafka's request pattern. */
export function kafkaIdleDeliveriesPerSecond(shape: ClusterShape): { total: number; parts: Record<string, number> } {
  const perSecond = (intervalMs: number) => (2 * 1_000) / intervalMs;
  const parts = {
    brokerHeartbeats: shape.brokers * perSecond(BROKER_HEARTBEAT_INTERVAL_MS),
    followerFetches: shape.fetcherPairs * perSecond(REPLICA_FETCH_WAIT_MAX_MS),
    consumerFetches: shape.consumerSessions * perSecond(FETCH_MAX_WAIT_MS),
    groupHeartbeats: shape.groupMembers * perSecond(GROUP_HEARTBEAT_INTERVAL_MS),
  };
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

/**
 * Deliveries per record Kafka's pattern implies for a run that sent `produceRequests` ProduceRequests carrying
 * `records` records over `virtualSeconds`: each request and its response, each append waking the parked follower
 * fetches (one per follower of the partition) and consumer fetches at its leader, plus the idle traffic meanwhile.
 * An upper bound for the same batching: Kafka's fetches wake at most once per append.
 */
export function kafkaDeliveriesPerRecord(options: {
  readonly shape: ClusterShape;
  readonly produceRequests: number;
  readonly records: number;
  readonly virtualSeconds: number;
  readonly followersPerPartition: number;
  readonly consumersPerPartition: number;
}): number {
  const { shape, produceRequests, records, virtualSeconds, followersPerPartition, consumersPerPartition } = options;
  const perRequest = 2 * (1 + followersPerPartition + consumersPerPartition);
  return (produceRequests * perRequest + kafkaIdleDeliveriesPerSecond(shape).total * virtualSeconds) / records;
}
