// How long a client keeps off a broker whose connection broke (`NetworkClient`'s `ClusterConnectionStates`):
// `reconnect.backoff.ms`, doubling with each failure in a row up to `reconnect.backoff.max.ms`, and forgotten once
// the broker answers. Every client (producer, reader, group consumer) keeps one of these; while a broker backs off,
// nothing is sent to it (`NetworkClient#isUnavailable`).

/** Brokers in reconnect backoff: until when, and how many failures in a row. */
export type ReconnectBackoff = Readonly<Record<number, { readonly atMs: number; readonly failures: number }>>;

/** `reconnect.backoff.ms` and `reconnect.backoff.max.ms` (Kafka's defaults; the jitter is left out). */
export const RECONNECT_BACKOFF_MS = 50;
export const RECONNECT_BACKOFF_MAX_MS = 1_000;

/** The connection to `node` broke at `nowMs`: it backs off, twice as long as last time (up to the maximum). */
export function connectionLost(backoff: ReconnectBackoff, node: number, nowMs: number): ReconnectBackoff {
  const failures = (backoff[node]?.failures ?? 0) + 1;
  const delayMs = Math.min(RECONNECT_BACKOFF_MS * 2 ** (failures - 1), RECONNECT_BACKOFF_MAX_MS);
  return { ...backoff, [node]: { atMs: nowMs + delayMs, failures } };
}

/** `node` answered: its connection works, and the next failure backs off from the start again. */
export function connectionWorks(backoff: ReconnectBackoff, node: number): ReconnectBackoff {
  if (backoff[node] === undefined) return backoff;
  const rest = { ...backoff };
  delete rest[node];
  return rest;
}

/** Whether a request may go to `node` now (it is not backing off). */
export function isConnectable(backoff: ReconnectBackoff, node: number, nowMs: number): boolean {
  return (backoff[node]?.atMs ?? 0) <= nowMs;
}

/** The earliest time a backing-off broker may be tried again, after `nowMs`; null when none backs off. */
export function nextConnectableMs(backoff: ReconnectBackoff, nowMs: number): number | null {
  let earliest: number | null = null;
  for (const node in backoff) {
    const { atMs } = backoff[node] as { atMs: number };
    if (atMs > nowMs && (earliest === null || atMs < earliest)) earliest = atMs;
  }
  return earliest;
}
