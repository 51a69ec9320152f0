import { describe, expect, it } from 'vitest';
import { assign, emit, setup } from 'xstate';
import type { HostEmitted, NodeInput, NodeNote } from '../../src/kernel/NodeHost.ts';
import { createWorld } from '../../src/kernel/World.ts';

/** Counts `tick`s, persists the count (with fsync on every third) and notes each one. */
const counterMachine = setup({
  types: {
    input: {} as NodeInput,
    context: {} as { count: number; history: number[] },
    events: {} as { type: 'tick'; from: string },
    emitted: {} as HostEmitted,
  },
}).createMachine({
  context: ({ input }) => {
    const disk = input.disk as { count: number; history: number[] } | undefined;
    return { count: disk?.count ?? 0, history: disk?.history ?? [] };
  },
  on: {
    tick: {
      actions: [
        assign(({ context }) => ({ count: context.count + 1, history: [...context.history, context.count + 1] })),
        emit(({ context }) => ({ type: 'persist' as const, data: context, fsync: context.count % 3 === 0 })),
        emit(({ context }) => ({ type: 'note' as const, data: { f: 'tick', count: context.count } })),
      ],
    },
  },
});

function tick(world: ReturnType<typeof createWorld>, times: number): void {
  for (let i = 0; i < times; i++) world.inject('counter', { type: 'tick' });
  world.runFor(20);
}

describe('notes', () => {
  it('streams every note with its node and virtual time, and writes it to the trace', () => {
    const world = createWorld({ seed: 1, network: { defaults: { latency: { kind: 'constant', ms: 2 } } } });
    world.addNode('counter', counterMachine);
    const notes: NodeNote[] = [];
    world.notes$.subscribe((n) => notes.push(n));
    tick(world, 3);
    expect(notes).toEqual([1, 2, 3].map((count) => ({ atMs: 2, node: 'counter', incarnation: 1, data: { f: 'tick', count } })));
    const traced = world.trace().filter((e) => e.kind === 'note');
    expect(traced.map((e) => (e as { data: unknown }).data)).toEqual(notes.map((n) => n.data));
  });
});

describe('persisted data', () => {
  it('boots from the last persisted state after a crash, and from the last fsynced one after a power loss', () => {
    const world = createWorld({ seed: 1, network: { defaults: { latency: { kind: 'constant', ms: 2 } } } });
    world.addNode('counter', counterMachine);
    tick(world, 4); // count 4; fsynced at 3
    world.crash('counter');
    world.restart('counter');
    expect(world.snapshot('counter')?.context).toEqual({ count: 4, history: [1, 2, 3, 4] });
    tick(world, 1); // count 5, not fsynced
    world.powerLoss('counter');
    world.restart('counter');
    expect(world.snapshot('counter')?.context).toEqual({ count: 3, history: [1, 2, 3] });
  });

  it('hands out copies: changing what disk() returned or what the machine booted with does not change the disk', () => {
    const world = createWorld({ seed: 1, network: { defaults: { latency: { kind: 'constant', ms: 2 } } } });
    world.addNode('counter', counterMachine);
    tick(world, 2);
    const seen = world.disk('counter') as { history: number[] };
    seen.history.push(99);
    world.crash('counter');
    world.restart('counter');
    (world.snapshot('counter')?.context as { history: number[] }).history.push(42);
    world.crash('counter');
    expect(world.disk('counter')).toEqual({ count: 2, history: [1, 2] });
  });
});
