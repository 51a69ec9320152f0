// Kernel benchmark: the World's delivery rate next to two baselines measured in the same process (a bare
// XState send+assign loop and a bare heap-dispatch loop), and the heap cost of an idle node. Prints one JSON
// object. Run: npm run bench:kernel  (adds --expose-gc so memory figures are taken after a full GC).
// `runKernelBench` is exported so bench/scenario.ts can run it in the same process (npm run bench), and
// `measureWorld` so the scenario bench's baseline is this ping-pong, through the same code.
import { pathToFileURL } from 'node:url';
import { assign, createActor, emit, enqueueActions, setup } from 'xstate';
import { createWorld } from '../src/kernel/World.ts';
import { TimerHeap, type TimerEntry } from '../src/kernel/TimerHeap.ts';
import type { HostEmitted, NodeInput } from '../src/kernel/NodeHost.ts';
import { pongerMachine } from '../src/fixtures/pingPong.ts';

/** Each node throws `balls` balls at its peer on boot and returns every ball it gets: one assign and one send per delivery. */
const volleyMachine = setup({
  types: {
    input: {} as NodeInput & { peer: string; balls: number },
    context: {} as { returned: number; peer: string; balls: number },
    events: {} as { type: 'ball' | 'serve'; from: string },
    emitted: {} as HostEmitted,
  },
}).createMachine({
  id: 'volley',
  context: ({ input }) => ({ returned: 0, peer: input.peer, balls: input.balls }),
  on: {
    serve: {
      actions: enqueueActions(({ context, enqueue }) => {
        for (let b = 0; b < context.balls; b++) enqueue.emit({ type: 'send', to: context.peer, message: { type: 'ball' } });
      }),
    },
    ball: {
      actions: [
        assign({ returned: ({ context }) => context.returned + 1 }),
        emit(({ event }) => ({ type: 'send' as const, to: event.from, message: { type: 'ball' } })),
      ],
    },
  },
});

/** The same work as one World delivery's machine step, without the World: send + assign. */
const counterMachine = setup({
  types: { context: {} as { returned: number }, events: {} as { type: 'ball'; from: string } },
}).createMachine({
  context: { returned: 0 },
  on: { ball: { actions: assign({ returned: ({ context }) => context.returned + 1 }) } },
});

export function measureWorld(traceMode: 'hash' | 'full', virtualMs: number): { deliveriesPerSec: number; deliveries: number } {
  const world = createWorld({ seed: 1, trace: traceMode });
  const nodes = Array.from({ length: 50 }, (_, i) => `n${i}`);
  // 1,000 balls in flight: each node throws 20 at its ring neighbour, and every ball bounces back and forth.
  nodes.forEach((id, i) => world.addNode(id, volleyMachine, { input: { peer: nodes[(i + 1) % nodes.length], balls: 20 } }));
  for (const id of nodes) world.inject(id, { type: 'serve' });
  const start = performance.now();
  world.runFor(virtualMs);
  const seconds = (performance.now() - start) / 1000;
  let deliveries = 0;
  for (const id of nodes) deliveries += (world.snapshot(id)?.context as { returned: number }).returned;
  return { deliveriesPerSec: deliveries / seconds, deliveries };
}

function measureBareXstate(events: number): number {
  const actor = createActor(counterMachine).start();
  const event = { type: 'ball' as const, from: 'n0' };
  const start = performance.now();
  for (let i = 0; i < events; i++) actor.send(event);
  return events / ((performance.now() - start) / 1000);
}

function measureBareHeap(events: number): number {
  const heap = new TimerHeap();
  let seq = 0;
  let fired = 0;
  const fn = () => {
    fired++;
  };
  for (let i = 0; i < 1000; i++) heap.push({ timeMs: i, seq: seq++, fn, arg: undefined, index: -1 });
  const start = performance.now();
  for (let i = 0; i < events; i++) {
    const top = heap.pop() as TimerEntry;
    top.fn(top.arg);
    heap.push({ timeMs: top.timeMs + 1 + (i % 7), seq: seq++, fn, arg: undefined, index: -1 });
  }
  const perSec = events / ((performance.now() - start) / 1000);
  if (fired !== events) throw new Error('bare heap loop lost events');
  return perSec;
}

function measureIdleNodes(count: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const world = createWorld({ seed: 1, trace: 'hash' });
  for (let i = 0; i < count; i++) world.addNode(`idle-${i}`, pongerMachine);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  if (world.nodeIds().length !== count) throw new Error('idle nodes missing');
  return Math.round((after - before) / count);
}

/** The volley machine's own work without the World: send + assign + emit to a listener. */
const counterWithEmitMachine = setup({
  types: { context: {} as { returned: number }, events: {} as { type: 'ball'; from: string }, emitted: {} as HostEmitted },
}).createMachine({
  context: { returned: 0 },
  on: {
    ball: {
      actions: [
        assign({ returned: ({ context }) => context.returned + 1 }),
        emit(({ event }) => ({ type: 'send' as const, to: event.from, message: { type: 'ball' } })),
      ],
    },
  },
});

function measureBareXstateWithEmit(events: number): number {
  const actor = createActor(counterWithEmitMachine).start();
  let emitted = 0;
  actor.on('send', () => {
    emitted++;
  });
  const start = performance.now();
  for (let i = 0; i < events; i++) actor.send({ type: 'ball', from: 'n0' });
  const perSec = events / ((performance.now() - start) / 1000);
  if (emitted !== events) throw new Error('bare XState loop lost emits');
  return perSec;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The whole kernel benchmark: its figures as one object (what `npm run bench:kernel` prints). */
export function runKernelBench(options: { quick: boolean }) {
  const { quick } = options;
  const scale = quick ? 0.25 : 1;
  // Warm up the JIT on every path before measuring.
  measureWorld('hash', 100);
  measureBareXstate(50_000);
  measureBareXstateWithEmit(50_000);
  measureBareHeap(50_000);

  // This machine is noisy (a shared VM): measure in interleaved rounds and report the median of each figure
  // and of the per-round ratios, so a slow moment hits the world and its baseline alike.
  const rounds = quick ? 3 : 7;
  const figures = { world: [] as number[], worldFull: [] as number[], bare: [] as number[], bareEmit: [] as number[], ratio: [] as number[], ratioEmit: [] as number[] };
  let worldDeliveries = 0;
  for (let r = 0; r < rounds; r++) {
    const world = measureWorld('hash', 400 * scale);
    const bare = measureBareXstate(Math.round(150_000 * scale));
    const bareEmit = measureBareXstateWithEmit(Math.round(150_000 * scale));
    figures.world.push(world.deliveriesPerSec);
    figures.bare.push(bare);
    figures.bareEmit.push(bareEmit);
    figures.ratio.push(world.deliveriesPerSec / bare);
    figures.ratioEmit.push(world.deliveriesPerSec / bareEmit);
    figures.worldFull.push(measureWorld('full', 200 * scale).deliveriesPerSec);
    worldDeliveries = world.deliveries;
  }
  const bareHeapPerSec = measureBareHeap(Math.round(2_000_000 * scale));
  const heapBytesPerIdleNode = measureIdleNodes(10_000);

  return {
    benchmark: 'kernel',
    quick,
    rounds,
    worldDeliveriesPerSec: Math.round(median(figures.world)),
    worldDeliveriesPerRound: worldDeliveries,
    worldDeliveriesPerSecFullTrace: Math.round(median(figures.worldFull)),
    bareXstatePerSec: Math.round(median(figures.bare)),
    bareXstateWithEmitPerSec: Math.round(median(figures.bareEmit)),
    bareHeapPerSec: Math.round(bareHeapPerSec),
    ratioWorldToBareXstate: Number(median(figures.ratio).toFixed(3)),
    ratioWorldToBareXstateRange: [Number(Math.min(...figures.ratio).toFixed(3)), Number(Math.max(...figures.ratio).toFixed(3))],
    ratioWorldToBareXstateWithEmit: Number(median(figures.ratioEmit).toFixed(3)),
    heapBytesPerIdleNode,
    idleNodesHeapMB: Number(((heapBytesPerIdleNode * 10_000) / 1e6).toFixed(1)),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(runKernelBench({ quick: process.argv.includes('--quick') }), null, 2));
}
