// The longest wait for an acknowledgement per partition: how long the partition could not take a write, as the
// producers saw it (a write waits from its send until the partition has a leader that can commit it). A rolling
// restart with controlled shutdowns shows waits of a retry or two; a crash shows a session timeout.
import type { History } from '../history/History.ts';

/** One partition's longest wait: the acknowledged send that waited longest, from its send to its ack. */
export interface AckWait {
  partition: string;
  waitMs: number;
  sentMs: number;
  ackedMs: number;
}

/** Per partition that acknowledged a write, its longest wait, by partition name. */
export function longestAckWaits(history: History): AckWait[] {
  const sentAt = new Map<string, number>();
  const longest = new Map<string, AckWait>();
  for (const op of history) {
    if (op.f !== 'send') continue;
    if (op.type === 'invoke') sentAt.set(op.value.value, op.timeMs);
    if (op.type !== 'ok') continue;
    const partition = `${op.value.topic}-${op.value.partition}`;
    const sentMs = sentAt.get(op.value.value) ?? op.timeMs;
    const waitMs = op.timeMs - sentMs;
    if (waitMs > (longest.get(partition)?.waitMs ?? -1)) longest.set(partition, { partition, waitMs, sentMs, ackedMs: op.timeMs });
  }
  return [...longest.values()].sort((a, b) => a.partition.localeCompare(b.partition, 'en', { numeric: true }));
}
