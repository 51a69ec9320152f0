import type { Rng } from './Rng.ts';

/** How long a message takes on a link, in virtual milliseconds. */
export type Latency =
  | { kind: 'constant'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number; minMs?: number };

/** Now and then a message is late by `extraMs` (a retransmission, a congested switch). */
export interface LatencySpike {
  probability: number;
  extraMs: number;
}

/** Everything that decides what happens to one message on one directed link. */
export interface LinkConfig {
  latency: Latency;
  spike?: LatencySpike | undefined;
  dropProbability: number;
  duplicateProbability: number;
  /** Probability that a message ignores FIFO order and may overtake earlier ones (links are FIFO otherwise). */
  reorderProbability: number;
}

/** Per-link overrides, as scenarios and `link` faults give them. */
export type LinkOverride = Partial<LinkConfig>;

/**
 * What a lost message does to the messages after it on the same directed link.
 * - `tcp` (default): the link is a connection, as Kafka's are. A loss breaks it: later messages on it are dropped
 *   (`reset`) until the sender has been told, by a `connection.reset` message from the peer, and opens a new one.
 *   A receiver never sees a message whose predecessor on the connection was lost.
 * - `datagram`: each message lives or dies alone; a later one may arrive after an earlier one was lost.
 */
export type ConnectionModel = 'tcp' | 'datagram';

/** The network part of `createWorld`'s options. */
export interface NetworkConfig {
  /** `tcp` (default) or `datagram`: see ConnectionModel. */
  connections?: ConnectionModel;
  /** Applies to every link without an override. */
  defaults?: LinkOverride;
  /** Directed links with their own settings. */
  links?: Array<{ from: string; to: string } & LinkOverride>;
}

/** A link's resolved settings and the state the model keeps for it. */
export interface LinkState {
  config: LinkConfig;
  /**
   * The link's own draws (the network's generator forked by `from->to`): a message added or removed on one link
   * leaves every other link's latencies, losses and duplicates as they were, so a shrunk scenario stays close to
   * the run it came from (FoundationDB and TigerBeetle draw per entity for the same reason).
   */
  readonly rng: Rng;
  /** Cut by the current partition. */
  cut: boolean;
  /** When the last FIFO message on this link arrives; later messages arrive no earlier. */
  lastArrivalMs: number;
  /** The sender's current connection on this link; envelopes carry the number they were sent on. */
  connection: number;
  /** Connections below this number were reset: what is still in flight on them is dropped. */
  deadBelow: number;
  /** A message of the current connection was lost: what follows it on the connection is dropped. */
  broken: boolean;
  /** A `connection.reset` is on its way to the sender. */
  resetInFlight: boolean;
}

/**
 * What happens to one message: dropped (and why), or arriving at `firstMs` and, when duplicated, again at
 * `secondMs`. The bus passes one plan object in and reads it back, to keep the per-message path free of
 * allocations.
 */
export interface DeliveryPlan {
  dropped: 'partition' | 'loss' | undefined;
  firstMs: number;
  secondMs: number | undefined;
}

/**
 * Kafka's clients and brokers talk over TCP, so by default each link delivers in order and loses nothing.
 * Jitter comes from the latency distribution; loss, duplication and reordering are opt-in.
 */
export const defaultLinkConfig: LinkConfig = {
  latency: { kind: 'uniform', minMs: 1, maxMs: 5 },
  dropProbability: 0,
  duplicateProbability: 0,
  reorderProbability: 0,
};

/**
 * Decides the fate of one message sent now on a link. Draws from `rng` only for the knobs that are on, so
 * turning on duplication does not shift the latency draws of a run that had it off. Updates the link's
 * FIFO horizon.
 */
export function planDelivery(link: LinkState, rng: Rng, nowMs: number, plan: DeliveryPlan): DeliveryPlan {
  plan.dropped = undefined;
  plan.firstMs = nowMs;
  plan.secondMs = undefined;
  if (link.cut) {
    plan.dropped = 'partition';
    return plan;
  }
  const config = link.config;
  if (rng.chance(config.dropProbability)) {
    plan.dropped = 'loss';
    return plan;
  }
  plan.firstMs = arrivalTime(link, rng, nowMs);
  // A duplicate is a retransmission: it arrives after the original.
  if (rng.chance(config.duplicateProbability)) plan.secondMs = Math.max(plan.firstMs, arrivalTime(link, rng, nowMs));
  return plan;
}

function arrivalTime(link: LinkState, rng: Rng, nowMs: number): number {
  const config = link.config;
  let latencyMs = drawLatency(config.latency, rng);
  if (config.spike !== undefined && rng.chance(config.spike.probability)) latencyMs += config.spike.extraMs;
  // Rounded so that sums of latencies stay exact to the microsecond and read well in traces, but never before now:
  // timers add delays to times in floating point (8008.737 + 2000 = 10008.737000000001), and rounding such a now
  // with a zero latency would land in the past.
  const rounded = roundToMicros(nowMs + latencyMs);
  const arrival = rounded >= nowMs ? rounded : nextMicroAtOrAfter(nowMs);
  if (rng.chance(config.reorderProbability)) return arrival;
  const fifo = Math.max(arrival, link.lastArrivalMs);
  link.lastArrivalMs = fifo;
  return fifo;
}

/** One latency draw, rounded to the microsecond so traces stay short and exact. */
export function drawLatency(latency: Latency, rng: Rng): number {
  switch (latency.kind) {
    case 'constant':
      return latency.ms;
    case 'uniform':
      return roundToMicros(rng.float(latency.minMs, latency.maxMs));
    case 'exponential':
      return roundToMicros((latency.minMs ?? 0) + rng.exponential(latency.meanMs));
  }
}

function roundToMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

// The first whole microsecond at or after `ms`.
function nextMicroAtOrAfter(ms: number): number {
  const micros = Math.ceil(ms * 1000);
  return micros / 1000 >= ms ? micros / 1000 : (micros + 1) / 1000;
}

/** Merges overrides over a base config, in order. */
export function resolveLinkConfig(base: LinkConfig, ...overrides: Array<LinkOverride | undefined>): LinkConfig {
  let config = base;
  for (const override of overrides) {
    if (override === undefined) continue;
    config = { ...config };
    for (const [key, value] of Object.entries(override)) {
      if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return config;
}
