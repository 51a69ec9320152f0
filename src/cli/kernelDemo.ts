import type { Fault } from '../faults/Fault.ts';
import { pingerMachine, pongerMachine } from '../fixtures/pingPong.ts';
import type { NetworkConfig } from '../kernel/networkModel.ts';
import type { Seed } from '../kernel/Rng.ts';
import { createWorld } from '../kernel/World.ts';

/** What the kernel demo reports. */
export interface KernelDemoResult {
  seed: Seed;
  virtualMs: number;
  nodes: string[];
  faults: Array<{ atMs: number; kind: string; effect: string }>;
  messages: { sent: number; delivered: number; duplicated: number; dropped: Record<string, number> };
  pongsReceived: Record<string, number>;
  traceEntries: number;
  traceHash: string;
}

const network: NetworkConfig = {
  defaults: {
    latency: { kind: 'uniform', minMs: 1, maxMs: 8 },
    dropProbability: 0.01,
    duplicateProbability: 0.01,
  },
};

const faults: Fault[] = [
  { atMs: 1_000, kind: 'crash', node: 'ponger-1' },
  { atMs: 2_500, kind: 'restart', node: 'ponger-1' },
  { atMs: 3_000, kind: 'pause', node: 'pinger-2' },
  { atMs: 4_000, kind: 'resume', node: 'pinger-2' },
  { atMs: 5_000, kind: 'partition', groups: [['pinger-3'], ['ponger-3', 'ponger-1']] },
  { atMs: 7_000, kind: 'heal' },
];

/**
 * The kernel demo (`kafka-sim kernel-demo`): three pinger/ponger pairs on a jittery, slightly
 * lossy network, with a crash and restart, a pause and a partition. It shows the kernel's promise: the same
 * seed prints the same traceHash.
 */
export function runKernelDemo(seed: Seed, virtualMs = 10_000): KernelDemoResult {
  const world = createWorld({ seed, network });
  for (let i = 1; i <= 3; i++) world.addNode(`ponger-${i}`, pongerMachine);
  for (let i = 1; i <= 3; i++) world.addNode(`pinger-${i}`, pingerMachine, { input: { peer: `ponger-${i}`, intervalMs: 100 } });
  const messages = { sent: 0, delivered: 0, duplicated: 0, dropped: {} as Record<string, number> };
  world.events$.subscribe((e) => {
    if (e.kind === 'dropped') messages.dropped[e.reason as string] = (messages.dropped[e.reason as string] ?? 0) + 1;
    else messages[e.kind]++;
  });
  world.schedule(faults);
  world.runFor(virtualMs);
  const trace = world.trace();
  const pongsReceived: Record<string, number> = {};
  for (let i = 1; i <= 3; i++) {
    pongsReceived[`pinger-${i}`] = (world.snapshot(`pinger-${i}`)?.context as { pongsReceived: number }).pongsReceived;
  }
  return {
    seed,
    virtualMs,
    nodes: world.nodeIds(),
    faults: trace.flatMap((e) => (e.kind === 'fault' ? [{ atMs: e.t, kind: (e.fault as Fault).kind, effect: e.effect }] : [])),
    messages,
    pongsReceived,
    traceEntries: trace.length,
    traceHash: world.traceHash(),
  };
}

/** The demo's result as text for a terminal. */
export function formatKernelDemo(result: KernelDemoResult, wallMs: number): string {
  const dropped = Object.entries(result.messages.dropped).map(([reason, n]) => `${n} ${reason}`).join(', ') || 'none';
  return [
    `kafka-sim kernel demo (seed ${JSON.stringify(result.seed)}): ${result.nodes.length} nodes, ${result.virtualMs / 1000} virtual seconds in ${Math.round(wallMs)} ms`,
    '',
    'faults:',
    ...result.faults.map((f) => `  ${String(f.atMs).padStart(6)} ms  ${f.kind} (${f.effect})`),
    '',
    `messages: ${result.messages.sent} sent, ${result.messages.delivered} delivered, ${result.messages.duplicated} duplicated, dropped: ${dropped}`,
    `pongs received: ${Object.entries(result.pongsReceived).map(([id, n]) => `${id} ${n}`).join(', ')}`,
    `trace: ${result.traceEntries} entries, traceHash ${result.traceHash}`,
    '',
    'Same seed, same traceHash: run it again, or with --seed to explore another run.',
  ].join('\n');
}
