// Kafka's `ExponentialBackoff` (org.apache.kafka.common.utils, KIP-580): the retry backoff of every client, for
// produce retries, InitProducerId and metadata refreshes.

/** A source of uniform floats in [0, 1) for the jitter. */
export interface JitterDraw {
  next(): number;
}

/** `retry.backoff.ms` and `retry.backoff.max.ms`. */
export interface RetryBackoffSettings {
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

/**
 * `ExponentialBackoff(retry.backoff.ms, 2, retry.backoff.max.ms, 0.2)#backoff(attempts)`: the initial backoff
 * doubled per earlier attempt, capped at the maximum, times a jitter factor in [0.8, 1.2) drawn when a draw is given.
 * A maximum at or below the initial backoff makes it constant.
 */
export function exponentialBackoffMs(attempts: number, config: RetryBackoffSettings, draw?: JitterDraw): number {
  const maxMs = config.retryBackoffMaxMs;
  const initialMs = Math.min(maxMs, config.retryBackoffMs);
  if (maxMs <= config.retryBackoffMs) return initialMs;
  const expMax = Math.log(maxMs / Math.max(initialMs, 1)) / Math.log(2);
  const term = initialMs * 2 ** Math.min(attempts, expMax);
  const jitter = 0.2;
  const factor = draw === undefined ? 1 : 1 - jitter + draw.next() * 2 * jitter;
  return Math.min(maxMs, Math.floor(factor * term));
}
