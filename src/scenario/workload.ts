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

/** The calls of every producer's workload, in time order (producers in scenario order at equal times). */
export function workloadCalls(
  producers: ReadonlyArray<{ id: string; workload: WorkloadSpec }>,
  partitionsOf: (topic: string) => number,
  defaultStartMs: number,
  rng: Rng,
): WorkloadCall[] {
  const calls: WorkloadCall[] = [];
  for (const { id, workload } of producers) {
    const draw = rng.fork(id);
    const startMs = workload.startMs ?? defaultStartMs;
    const intervalMs = 1_000 / workload.ratePerSec;
    for (let n = 0; n < workload.records; n++) {
      const atMs = Math.round(startMs + n * intervalMs);
      const placement = drawPlacement(workload.keys, partitionsOf(workload.topic), draw);
      calls.push({ atMs, to: id, command: { type: 'client.send', topic: workload.topic, value: `${id}:${n}`, ...placement } });
    }
  }
  // A stable sort keeps scenario order between producers whose calls fall at the same instant.
  return calls.sort((a, b) => a.atMs - b.atMs);
}

function drawPlacement(keys: KeySpec, partitions: number, draw: Rng): { key: string | null; partition?: number } {
  switch (keys.kind) {
    case 'keyspace':
      return { key: `k${draw.int(0, keys.size - 1)}` };
    case 'null':
      return { key: null };
    case 'explicit-partition':
      return { key: null, partition: draw.int(0, partitions - 1) };
  }
}
