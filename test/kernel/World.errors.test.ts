import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assign, emit, sendTo, setup } from 'xstate';
import { pingerMachine, pongerMachine } from '../../src/fixtures/pingPong.ts';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import { SimulationError } from '../../src/kernel/SimulationError.ts';
import { createWorld } from '../../src/kernel/World.ts';

/** A machine with a faulty action, a faulty guard, a faulty timer and contract breaches, each on cue. */
const faultyMachine = setup({
  types: {
    input: {} as NodeInput,
    context: {} as { n: number },
    events: {} as { type: 'boom' | 'guarded' | 'arm' | 'bad-send' | 'bad-persist' | 'undelayed-id'; from: string },
    emitted: {} as HostEmitted,
  },
  guards: {
    isExploding: () => {
      throw new Error('guard exploded');
    },
  },
}).createMachine({
  context: { n: 0 },
  initial: 'idle',
  states: {
    idle: {
      on: {
        boom: {
          actions: assign(() => {
            throw new Error('action exploded');
          }),
        },
        guarded: { guard: 'isExploding', actions: assign({ n: 1 }) },
        arm: 'armed',
        'bad-send': { actions: emit({ type: 'send', to: 'nobody', message: { type: 'hello' } }) },
        'bad-persist': { actions: emit({ type: 'persist', data: { n: Number.NaN } }) },
        'undelayed-id': { actions: sendTo(({ self }) => self, { type: 'boom', from: 'self' }, { delay: 10 }) },
      },
    },
    armed: {
      after: {
        25: {
          actions: assign(() => {
            throw new Error('timer action exploded');
          }),
        },
      },
    },
  },
});

function faultyWorld() {
  const world = createWorld({ seed: 'errors', network: { defaults: { latency: { kind: 'constant', ms: 2 } } } });
  world.addNode('faulty', faultyMachine);
  return world;
}

function failureOf(run: () => void): SimulationError {
  try {
    run();
  } catch (err) {
    if (err instanceof SimulationError) return err;
    throw err;
  }
  throw new Error('expected the run to fail');
}

describe('a machine that throws fails the run at once', () => {
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  beforeEach(() => {
    uncaught.length = 0;
    process.on('uncaughtException', onUncaught);
  });
  afterEach(() => {
    process.off('uncaughtException', onUncaught);
  });

  it('names the node, the event, the virtual time and the seed for an action that throws', async () => {
    const world = faultyWorld();
    world.runFor(100);
    world.inject('faulty', { type: 'boom' });
    const failure = failureOf(() => world.runFor(100));
    expect(failure).toMatchObject({ nodeId: 'faulty', eventType: 'boom', timeMs: 102, seed: 'errors' });
    expect(failure.message).toBe('node "faulty" failed handling "boom" at 102 ms (seed "errors"): action exploded');
    expect(world.now).toBe(102);
    // The failed world stays failed: it refuses to run on.
    expect(() => world.runFor(1)).toThrow(SimulationError);
    // Nothing escapes later from a real timer.
    await new Promise((resolve) => globalThis.setTimeout(resolve, 20));
    expect(uncaught).toEqual([]);
  });

  it('reports a guard that throws', () => {
    const world = faultyWorld();
    world.inject('faulty', { type: 'guarded' });
    expect(failureOf(() => world.runFor(10))).toMatchObject({ eventType: 'guarded', timeMs: 2 });
  });

  it('reports an `after` timer whose action throws, by its delayed event type', () => {
    const world = faultyWorld();
    world.inject('faulty', { type: 'arm' });
    const failure = failureOf(() => world.runFor(100));
    expect(failure.eventType).toMatch(/^xstate\.after\.25\./);
    expect(failure.timeMs).toBe(27);
  });

  it('reports a send to an unknown node', () => {
    const world = faultyWorld();
    world.inject('faulty', { type: 'bad-send' });
    const failure = failureOf(() => world.runFor(10));
    expect(failure.message).toContain('unknown destination "nobody"');
    expect(failure.eventType).toBe('bad-send');
  });

  it('reports persisted data that JSON cannot carry when the disk is written (at the crash), naming the event that persisted it', () => {
    const world = faultyWorld();
    world.inject('faulty', { type: 'bad-persist' });
    world.runFor(10);
    const failure = failureOf(() => world.crash('faulty'));
    expect(failure.eventType).toBe('bad-persist');
    expect(failure.message).toContain('persisted data cannot be written to disk: stableStringify: $.n is NaN');
  });

  it('refuses a delayed event without an id, for which XState would draw Math.random', () => {
    const world = faultyWorld();
    world.inject('faulty', { type: 'undelayed-id' });
    expect(failureOf(() => world.runFor(10)).message).toContain('delayed event "boom" has no id');
  });

  it('fails addNode when the machine throws while booting', () => {
    const world = createWorld({ seed: 1 });
    const broken = setup({}).createMachine({
      entry: () => {
        throw new Error('cannot boot');
      },
    });
    expect(() => world.addNode('broken', broken)).toThrow(/node "broken" failed handling "xstate.init" at 0 ms.*cannot boot/);
  });
});

describe('bad arguments to the public API', () => {
  it('rejects a NaN, infinite or missing seed', () => {
    expect(() => createWorld({ seed: Number.NaN })).toThrow('createWorld: seed must be a finite number or a string, got NaN');
    expect(() => createWorld({ seed: Infinity })).toThrow('got Infinity');
    expect(() => createWorld({} as never)).toThrow('createWorld: seed must be a finite number or a string, got undefined');
  });

  it('rejects unknown and duplicate node ids', () => {
    const world = createWorld({ seed: 1 });
    world.addNode('a', pongerMachine);
    expect(() => world.addNode('a', pongerMachine)).toThrow('world.addNode: id must be an id not already taken, got "a"');
    expect(() => world.addNode('world', pongerMachine)).toThrow('world.addNode: id must be a non-empty string other than "world"');
    expect(() => world.crash('b')).toThrow('world.crash: node must be a known node id (a), got "b"');
    expect(() => world.snapshot('b')).toThrow('world.snapshot: node must be a known node id (a), got "b"');
    expect(() => world.inject('b', { type: 'x' })).toThrow('world.inject: to must be a known node id (a), got "b"');
    expect(() => world.addHost('a', () => undefined as never)).toThrow('world.addHost: id must be an id not already taken, got "a"');
    expect(() => world.addHost('h', 'not a function' as never)).toThrow('world.addHost: create must be a function (context) => SimulatedHost');
    expect(() => world.addNode('n', pongerMachine, { adapter: 5 as never })).toThrow('world.addNode: options.adapter must be a function (send) => NodeAdapter');
  });

  it('rejects something that is not a machine, and reserved input fields', () => {
    const world = createWorld({ seed: 1 });
    expect(() => world.addNode('a', {} as never)).toThrow('world.addNode: machine must be an XState machine');
    expect(() => world.addNode('a', pongerMachine, { input: { nodeId: 'x' } })).toThrow('options.input.nodeId must be left out');
  });

  it('rejects negative, NaN and past times', () => {
    const world = createWorld({ seed: 1 });
    world.addNode('a', pongerMachine);
    expect(() => world.runFor(-1)).toThrow('world.runFor: ms must be a finite number >= 0, got -1');
    expect(() => world.runFor(Number.NaN)).toThrow('got NaN');
    world.runFor(100);
    expect(() => world.schedule([{ atMs: 50, kind: 'crash', node: 'a' }])).toThrow(
      'world.schedule: faults[0]: atMs must be a finite number >= 100, got 50',
    );
    expect(() => world.schedule([{ atMs: -5, kind: 'heal' }])).toThrow('got -5');
  });

  it('rejects a partition that names a node twice or an unknown node', () => {
    const world = createWorld({ seed: 1 });
    for (const id of ['a', 'b', 'c']) world.addNode(id, pongerMachine);
    expect(() => world.partition([['a', 'b'], ['b', 'c']])).toThrow(
      'world.partition: partition.groups[1] must be a node named only once in the partition, got "b"',
    );
    expect(() => world.partition([['a'], ['a']])).toThrow('named only once');
    expect(() => world.partition([['a'], ['z']])).toThrow('world.partition: partition.groups[1] must be a known node id (a, b, c), got "z"');
    expect(() => world.partition({ isolate: 'z' })).toThrow('partition.isolate must be a known node id');
    expect(() => world.partition([['a', 'b']])).toThrow('an array of at least two arrays of node ids');
  });

  it('checks a whole fault schedule before scheduling any of it', () => {
    const world = createWorld({ seed: 1 });
    world.addNode('a', pongerMachine);
    expect(() =>
      world.schedule([
        { atMs: 10, kind: 'crash', node: 'a' },
        { atMs: 20, kind: 'explode', node: 'a' } as never,
      ]),
    ).toThrow('world.schedule: faults[1]: kind must be one of crash, powerLoss, shutdown, restart, pause, resume, partition, heal, link, got "explode"');
    world.runFor(100);
    expect(world.status('a')).toBe('up');
  });

  it('rejects bad link settings by name', () => {
    const world = createWorld({ seed: 1 });
    world.addNode('a', pongerMachine);
    world.addNode('b', pingerMachine, { input: { peer: 'a', intervalMs: 10 } });
    expect(() => world.setLink('a', 'b', { dropProbability: 2 })).toThrow('dropProbability must be a probability between 0 and 1, got 2');
    expect(() => world.setLink('a', 'b', { latency: { kind: 'uniform', minMs: 5, maxMs: 1 } })).toThrow('latency.maxMs must be a finite number >= 5, got 1');
    expect(() => createWorld({ seed: 1, network: { defaults: { jitter: 3 } as never } })).toThrow(
      'createWorld: network.defaults: jitter must be a known link setting',
    );
  });
});
