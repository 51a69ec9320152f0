import type { LogRecord } from '../../src/history/History.ts';
import type { FetchPartition, FetchRequest, FetchResponse } from '../../src/protocol/messages.ts';
import { brokerIdOf } from '../../src/protocol/nodeIds.ts';
import { partitionErrorHandling } from '../reader/fetchErrors.ts';
import { fetchedRecords } from '../reader/fetchedRecords.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// The consumer's fetcher (KafkaConsumer's `Fetcher` with its `FetchBuffer`), shared by the reader and the group
// consumer, as data in, data out. It keeps one Fetch in flight per broker, covering every partition the client
// reads there whose buffer is empty; the broker long-polls it (fetch.min.bytes, fetch.max.wait.ms). What a fetch
// returns waits in the buffer, partition by partition in the order it arrived, until poll() takes it, at most
// max.poll.records at a time; a partition is fetched again only once poll() has taken everything buffered for it.
// Positions belong to the caller (they move when poll() returns records, or on a seek); an answer for a partition
// whose position moved since the fetch left is dropped, as Kafka drops a completed fetch for a stale position.
// Buffered records keep the leader epoch of their batch, so that a position remembers the epoch of the last
// record poll() returned (`FetchPosition.offsetEpoch`, KIP-320), which positionValidation.ts validates.

/** The consumer's fetch settings (Kafka 3.9 `ConsumerConfig`); times in virtual ms. */
export interface FetchSettings {
  readonly fetchMaxWaitMs: number;
  readonly fetchMinBytes: number;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
}

/** Kafka's defaults for the fetch settings. */
export const fetchDefaults: FetchSettings = {
  fetchMaxWaitMs: 500, // fetch.max.wait.ms
  fetchMinBytes: 1, // fetch.min.bytes
  fetchMaxBytes: 52_428_800, // fetch.max.bytes
  maxPartitionFetchBytes: 1_048_576, // max.partition.fetch.bytes
};

/** Kafka's names for the fetch settings, for error messages. */
export const fetchSettingNames: Readonly<Record<keyof FetchSettings, string>> = {
  fetchMaxWaitMs: 'fetch.max.wait.ms',
  fetchMinBytes: 'fetch.min.bytes',
  fetchMaxBytes: 'fetch.max.bytes',
  maxPartitionFetchBytes: 'max.partition.fetch.bytes',
};

/** A Fetch on the wire (its broker is the key it is kept under; its deadline is the network client's): the offset each partition asked from. */
export interface InFlightFetch {
  readonly correlationId: number;
  readonly fetchOffsets: Readonly<Record<string, number>>;
}

/**
 * How a planner sends a request through the client's network layer (actors/client/networkClient.ts): the message
 * for the correlation id the layer gives it; the id is returned. The caller keeps the layer's new state.
 */
export type SendThrough<M> = (node: number, message: (correlationId: number) => M) => number;

/** A batch's leader epoch from the offset it starts at (RecordBatch.partitionLeaderEpoch). */
export interface EpochStart {
  readonly baseOffset: number;
  readonly leaderEpoch: number;
}

/** One partition's fetched records not yet returned (Kafka's `CompletedFetch`), and the epochs of their batches. */
export interface BufferedFetch {
  /** Contiguous, from the partition's position on. */
  readonly records: readonly LogRecord[];
  /** The batches the records came in, by increasing base offset: a record's epoch is that of the last one at or below it. */
  readonly epochStarts: readonly EpochStart[];
}

/** The fetcher's state. */
export interface Fetcher {
  /** By broker id. */
  readonly inFlight: Readonly<Record<number, InFlightFetch>>;
  /** Records fetched and not yet returned, by partition key, starting at the partition's position. */
  readonly buffer: Readonly<Record<string, BufferedFetch>>;
  /** Partition keys with buffered records, in the order their fetches completed (the FetchBuffer's queue). */
  readonly order: readonly string[];
  /**
   * Partitions whose leader last answered with nothing at or past the position, and the position that was: the
   * partition is caught up while its position is still that.
   */
  readonly caughtUp: Readonly<Record<string, number>>;
}

/** A fetcher with nothing in flight or buffered. */
export function emptyFetcher(): Fetcher {
  return { inFlight: {}, buffer: {}, order: [], caughtUp: {} };
}

/** A partition the client reads: where it stands, and its leader as the client's metadata says. */
export interface FetchTarget {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly position: number;
  readonly leader: number;
  readonly leaderEpoch: number;
}

/**
 * `AbstractFetch#prepareFetchRequests`: one Fetch per leader with no fetch in flight, covering its partitions
 * whose buffer is empty (consumers send -1 as their replica id and the leader epoch from metadata, KIP-320), sent in
 * broker id order through `send`; returns the fetcher that tracks them.
 */
export function sendFetches(fetcher: Fetcher, targets: readonly FetchTarget[], options: { readonly settings: FetchSettings; readonly send: SendThrough<FetchRequest> }): Fetcher {
  const byNode = new Map<number, FetchTarget[]>();
  for (const target of targets) {
    if (Object.hasOwn(fetcher.inFlight, target.leader) || (fetcher.buffer[target.key]?.records.length ?? 0) > 0) continue;
    let list = byNode.get(target.leader);
    if (list === undefined) byNode.set(target.leader, (list = []));
    list.push(target);
  }
  if (byNode.size === 0) return fetcher;
  const { settings } = options;
  const inFlight: Record<number, InFlightFetch> = { ...fetcher.inFlight };
  for (const [node, list] of [...byNode].sort(([a], [b]) => a - b)) {
    const partitions: FetchPartition[] = list.map((t) => ({
      topic: t.topic,
      partition: t.partition,
      fetchOffset: t.position,
      currentLeaderEpoch: t.leaderEpoch,
      lastFetchedEpoch: -1,
      partitionMaxBytes: settings.maxPartitionFetchBytes,
    }));
    const correlationId = options.send(node, (id) => ({
      type: 'fetch.request',
      correlationId: id,
      replicaId: -1,
      replicaEpoch: -1,
      maxWaitMs: settings.fetchMaxWaitMs,
      minBytes: settings.fetchMinBytes,
      maxBytes: settings.fetchMaxBytes,
      partitions,
    }));
    inFlight[node] = { correlationId, fetchOffsets: Object.fromEntries(list.map((t) => [t.key, t.position])) };
  }
  return { ...fetcher, inFlight };
}

/** What a fetch answer changed beyond the buffer. */
export interface FetchOutcome {
  readonly fetcher: Fetcher;
  /** The answer was this broker's Fetch in flight (false: stale or unknown, ignored). */
  readonly matched: boolean;
  /** Some partition's error says the client's metadata is stale (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, ...). */
  readonly refreshMetadata: boolean;
  /** Partitions whose position is outside the log (OFFSET_OUT_OF_RANGE): the client applies auto.offset.reset. */
  readonly outOfRange: readonly string[];
}

/**
 * A fetch.response: each partition's records from its position on go to the buffer (`CompletedFetch`); an error
 * leaves the partition to be fetched again, after a metadata refresh when it says so. `positions` holds the
 * partitions that may take records now: one left out (a partition awaiting validation after a leader change) has its
 * answer dropped, as `FetchCollector#initialize` ignores a partition without a valid position.
 */
export function onFetchResponse(
  fetcher: Fetcher,
  response: FetchResponse & { readonly from: string },
  positions: Readonly<Record<string, number>>,
  isCurrentLeader: (key: string, node: number) => boolean,
): FetchOutcome {
  const node = brokerIdOf(response.from);
  const sent = node === undefined ? undefined : fetcher.inFlight[node];
  if (node === undefined || sent === undefined || sent.correlationId !== response.correlationId) {
    return { fetcher, matched: false, refreshMetadata: false, outOfRange: [] };
  }
  const inFlight = { ...fetcher.inFlight };
  delete inFlight[node];
  // Copies made once for the whole answer (a fetch may cover a thousand partitions).
  let buffer: Record<string, BufferedFetch> | undefined;
  let caughtUp: Record<string, number> | undefined;
  const arrived: string[] = [];
  let refreshMetadata = false;
  const outOfRange: string[] = [];
  for (const answer of response.partitions) {
    const key = topicPartitionKey(answer.topic, answer.partition);
    const position = positions[key];
    if (!Object.hasOwn(sent.fetchOffsets, key) || position === undefined || position !== sent.fetchOffsets[key]) continue;
    if (answer.errorCode !== undefined) {
      const handling = partitionErrorHandling(answer.errorCode);
      if (handling === 'resetToEarliest') outOfRange.push(key);
      if (handling === 'refreshMetadata') refreshMetadata = true;
      continue;
    }
    const { records, nextPosition } = fetchedRecords(answer, position, Number.POSITIVE_INFINITY);
    if (records.length > 0) {
      (buffer ??= { ...fetcher.buffer })[key] = { records, epochStarts: epochStartsFrom(answer.batches, position) };
      arrived.push(key);
      if (Object.hasOwn(caughtUp ?? fetcher.caughtUp, key)) delete (caughtUp ??= { ...fetcher.caughtUp })[key];
    } else if (nextPosition >= answer.highWatermark && isCurrentLeader(key, node)) {
      (caughtUp ??= { ...fetcher.caughtUp })[key] = position;
    }
  }
  let order = fetcher.order;
  if (arrived.length > 0) {
    const fresh = new Set(arrived);
    order = [...order.filter((key) => !fresh.has(key)), ...arrived];
  }
  return { fetcher: { inFlight, buffer: buffer ?? fetcher.buffer, order, caughtUp: caughtUp ?? fetcher.caughtUp }, matched: true, refreshMetadata, outOfRange };
}

// The epochs of the batches that hold records at or past `position`.
function epochStartsFrom(batches: FetchResponse['partitions'][number]['batches'], position: number): EpochStart[] {
  const starts: EpochStart[] = [];
  for (const batch of batches) {
    if (batch.baseOffset + batch.records.length > position) starts.push({ baseOffset: batch.baseOffset, leaderEpoch: batch.leaderEpoch });
  }
  return starts;
}

/** The connection to a broker broke (or its fetch timed out, and the client closed it): the fetch there is gone, its partitions fetch again. */
export function failFetch(fetcher: Fetcher, node: number): Fetcher {
  if (!Object.hasOwn(fetcher.inFlight, node)) return fetcher;
  const inFlight = { ...fetcher.inFlight };
  delete inFlight[node];
  return { ...fetcher, inFlight };
}

/** Whether poll() would return records now. */
export function hasBufferedRecords(fetcher: Fetcher): boolean {
  return fetcher.order.length > 0;
}

/** What poll() takes from the buffer. */
export interface CollectedRecords {
  readonly fetcher: Fetcher;
  readonly records: LogRecord[];
  readonly positions: Readonly<Record<string, number>>;
  /**
   * For each partition whose position moved, the leader epoch of the batch of the last record returned: the new
   * position's `offsetEpoch` (`CompletedFetch#lastEpoch`).
   */
  readonly offsetEpochs: Readonly<Record<string, number>>;
}

/**
 * `FetchCollector#collectFetch`: up to `maxPollRecords` buffered records, partition by partition in the order their
 * fetches completed, each partition's in offset order; the positions move past what is returned.
 */
export function collectRecords(fetcher: Fetcher, positions: Readonly<Record<string, number>>, maxPollRecords: number): CollectedRecords {
  if (fetcher.order.length === 0) return { fetcher, records: [], positions, offsetEpochs: {} };
  const records: LogRecord[] = [];
  const buffer: Record<string, BufferedFetch> = { ...fetcher.buffer };
  const nextPositions: Record<string, number> = { ...positions };
  const offsetEpochs: Record<string, number> = {};
  let order = fetcher.order;
  while (order.length > 0 && records.length < maxPollRecords) {
    const key = order[0] as string;
    const buffered = buffer[key] ?? { records: [], epochStarts: [] };
    const taken = buffered.records.slice(0, maxPollRecords - records.length);
    records.push(...taken);
    const last = taken.at(-1);
    if (last !== undefined) {
      nextPositions[key] = last.offset + 1;
      offsetEpochs[key] = epochOf(buffered.epochStarts, last.offset);
    }
    if (taken.length === buffered.records.length) {
      delete buffer[key];
      order = order.slice(1);
    } else buffer[key] = { ...buffered, records: buffered.records.slice(taken.length) };
  }
  return { fetcher: { ...fetcher, buffer, order }, records, positions: nextPositions, offsetEpochs };
}

// The leader epoch of the batch holding `offset`.
function epochOf(starts: readonly EpochStart[], offset: number): number {
  let epoch: number | undefined;
  for (const start of starts) {
    if (start.baseOffset > offset) break;
    epoch = start.leaderEpoch;
  }
  if (epoch === undefined) throw new Error(`fetcher: no batch holds buffered offset ${offset}`);
  return epoch;
}

/** Drops what is buffered or known for partitions the client stopped reading or seeked (revocation, seek, reset). */
export function discardPartitions(fetcher: Fetcher, keys: readonly string[]): Fetcher {
  if (keys.length === 0) return fetcher;
  const drop = new Set(keys);
  const buffer: Record<string, BufferedFetch> = {};
  for (const [key, buffered] of Object.entries(fetcher.buffer)) if (!drop.has(key)) buffer[key] = buffered;
  const caughtUp: Record<string, number> = {};
  for (const [key, position] of Object.entries(fetcher.caughtUp)) if (!drop.has(key)) caughtUp[key] = position;
  return { ...fetcher, buffer, caughtUp, order: fetcher.order.filter((key) => !drop.has(key)) };
}

/** Whether the partition is caught up with its leader at `position`. */
export function isCaughtUp(fetcher: Fetcher, key: string, position: number): boolean {
  return fetcher.caughtUp[key] === position && (fetcher.buffer[key]?.records.length ?? 0) === 0;
}
