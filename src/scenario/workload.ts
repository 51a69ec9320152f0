// The workload drivers: the application calls each producer's `send()` at a steady rate, with keys drawn from
// the scenario's key spec. Every value is unique in the run (`producer-1:17`), so a value names the one send
// that wrote it, as Jepsen's checkers require. Draws come from the run's `workload` fork of the seed, so
// adding a fault does not change the workload.
import type { Rng } from '../kernel/Rng.ts';
import type { ClientSend } from '../protocol/clientCommands.ts';
import type { KeySpec, WorkloadSpec } from './Scenario.ts';

/** One application call: at `atMs`, deliver `command` to the client node `to`. */
export interface WorkloadCall {
  atMs: number;
  to: string;
  command: ClientSend;
}

/**
 * The calls of every producer's workload, in time order (producers in scenario order at equal times). They are made
 * as the run takes them, so a workload of a million records is never held in memory at once.
 */
export function workloadCalls(
  producers: ReadonlyArray<{ id: string; workload: WorkloadSpec }>,
  partitionsOf: (topic: string) => number,
  defaultStartMs: number,
  rng: Rng,
): IterableIterator<WorkloadCall> {
  return mergeByTime(producers.map(({ id, workload }) => producerCalls(id, workload, partitionsOf(workload.topic), workload.startMs ?? defaultStartMs, rng.fork(id))));
}

function* producerCalls(id: string, workload: WorkloadSpec, partitions: number, startMs: number, draw: Rng): IterableIterator<WorkloadCall> {
  const intervalMs = 1_000 / workload.ratePerSec;
  // One string per key of the keyspace, not one per record: a long run keeps every record's key in its history.
  const keys = new Map<number, string>();
  const first = workload.firstRecord ?? 0;
  for (let n = 0; n < workload.records; n++) {
    const atMs = Math.round(startMs + n * intervalMs);
    const placement = drawPlacement(workload.keys, partitions, draw, keys);
    // A record left out (firstRecord) still takes its draw, so the ones sent are placed as in the whole workload.
    if (n < first) continue;
    yield { atMs, to: id, command: { type: 'client.send', topic: workload.topic, value: `${id}:${n}`, ...placement } };
  }
}

/**
 * Merges streams that are each in time order into one, as a stable sort of their concatenation would order them:
 * at equal times, the earlier stream's items first.
 */
export function* mergeByTime<T extends { readonly atMs: number }>(streams: ReadonlyArray<Iterator<T>>): IterableIterator<T> {
  const heads = streams.map((stream) => stream.next());
  for (;;) {
    let first = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i] as IteratorResult<T>;
      if (head.done === true) continue;
      if (first < 0 || head.value.atMs < (heads[first] as IteratorYieldResult<T>).value.atMs) first = i;
    }
    if (first < 0) return;
    yield (heads[first] as IteratorYieldResult<T>).value;
    heads[first] = (streams[first] as Iterator<T>).next();
  }
}

function drawPlacement(keys: KeySpec, partitions: number, draw: Rng, names: Map<number, string>): { key: string | null; partition?: number } {
  switch (keys.kind) {
    case 'keyspace': {
      const n = draw.int(0, keys.size - 1);
      let key = names.get(n);
      if (key === undefined) names.set(n, (key = `k${n}`));
      return { key };
    }
    case 'null':
      return { key: null };
    case 'explicit-partition':
      return { key: null, partition: draw.int(0, partitions - 1) };
  }
}
