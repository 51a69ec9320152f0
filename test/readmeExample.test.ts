import { describe, expect, it } from 'vitest';
import { createWorld, pingerMachine, pongerMachine } from '../src/index.ts';

// The README's World API example, verbatim apart from the import path: its figures must stay true.
describe('the README example', () => {
  it('counts 36 pongs for seed 42 and prints the same traceHash every time', () => {
    const run = () => {
      const world = createWorld({
        seed: 42,
        network: { defaults: { latency: { kind: 'uniform', minMs: 1, maxMs: 5 }, dropProbability: 0.01 } },
      });
      world.addNode('ponger', pongerMachine);
      world.addNode('pinger', pingerMachine, { input: { peer: 'ponger', intervalMs: 100 } });
      world.schedule([
        { atMs: 1_000, kind: 'crash', node: 'ponger' },
        { atMs: 1_500, kind: 'restart', node: 'ponger' },
        { atMs: 2_000, kind: 'partition', groups: [['pinger'], ['ponger']] },
        { atMs: 2_500, kind: 'heal' },
      ]);
      world.runFor(5_000);
      return { pongs: (world.snapshot('pinger')?.context as { pongsReceived: number }).pongsReceived, hash: world.traceHash() };
    };
    const first = run();
    expect(first.pongs).toBe(36);
    expect(run().hash).toBe(first.hash);
  });
});
