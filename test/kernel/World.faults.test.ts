import { describe, expect, it } from 'vitest';
import { assign, emit, setup } from 'xstate';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import { pingerMachine, pongerMachine } from '../../src/fixtures/pingPong.ts';
import type { BusEvent } from '../../src/kernel/Bus.ts';
import { createWorld, type World } from '../../src/kernel/World.ts';
import type { TraceEntry } from '../../src/history/Trace.ts';

/** Persists each `write` it gets, with or without fsync. */
const journalMachine = setup({
  types: {
    input: {} as NodeInput,
    context: {} as { value: number },
    events: {} as { type: 'write'; value: number; fsync: boolean; from: string },
    emitted: {} as HostEmitted,
  },
}).createMachine({
  context: ({ input }) => ({ value: (input.disk as { value: number } | undefined)?.value ?? 0 }),
  on: {
    write: {
      actions: [
        assign({ value: ({ event }) => event.value }),
        emit(({ event }) => ({ type: 'persist' as const, data: { value: event.value }, fsync: event.fsync })),
      ],
    },
  },
});

const constant = (ms: number) => ({ defaults: { latency: { kind: 'constant' as const, ms } } });

function pair(world: World, pinger = 'pinger', ponger = 'ponger', intervalMs = 100): void {
  if (!world.nodeIds().includes(ponger)) world.addNode(ponger, pongerMachine);
  world.addNode(pinger, pingerMachine, { input: { peer: ponger, intervalMs } });
}

function ctx(world: World, id: string): Record<string, number | boolean | string> {
  return world.snapshot(id)?.context as Record<string, number | boolean | string>;
}

function entries<K extends TraceEntry['kind']>(world: World, kind: K): Extract<TraceEntry, { kind: K }>[] {
  return world.trace().filter((e): e is Extract<TraceEntry, { kind: K }> => e.kind === kind);
}

function recordBus(world: World): BusEvent[] {
  const events: BusEvent[] = [];
  world.events$.subscribe((e) => events.push(e));
  return events;
}

describe('crash and restart', () => {
  it('drops the volatile state and keeps the persisted disk', () => {
    const world = createWorld({ seed: 1, network: constant(5) });
    pair(world);
    world.runFor(1050); // pings at 100..1000, each answered 5 ms later and the pong back 5 ms after that
    expect(ctx(world, 'ponger').pingsAnswered).toBe(10);
    expect(ctx(world, 'pinger').pongsReceived).toBe(10);

    world.crash('ponger');
    world.crash('pinger');
    expect(world.status('pinger')).toBe('down');
    expect(world.snapshot('pinger')).toBeUndefined();
    world.restart('ponger');
    world.restart('pinger');

    // The ponger's count was only in memory; the pinger persisted its count and boots from it.
    expect(ctx(world, 'ponger').pingsAnswered).toBe(0);
    expect(ctx(world, 'pinger').pongsReceived).toBe(10);
    expect(ctx(world, 'pinger').bootedFromDisk).toBe(true);
    expect(ctx(world, 'pinger').pingsSent).toBe(0);
  });

  it('drops every delivery in flight to the crashed node, even if it restarts before they arrive', () => {
    const world = createWorld({ seed: 1, network: constant(50) });
    pair(world);
    const events = recordBus(world);
    world.runFor(120); // the first ping left at 100 and arrives at 150
    world.crash('ponger');
    world.runFor(10);
    world.restart('ponger'); // back at 130, before the ping arrives
    world.runFor(40);

    const firstPing = events.filter((e) => e.envelope.id === 0);
    expect(firstPing.map((e) => [e.kind, e.atMs, e.reason])).toEqual([
      ['sent', 100, undefined],
      ['dropped', 150, 'crashed'],
    ]);
    expect(ctx(world, 'ponger').pingsAnswered).toBe(0);
  });

  it("cancels the crashed node's timers, and a restart starts its `after` timers again", () => {
    const world = createWorld({ seed: 1, network: constant(5) });
    pair(world);
    world.runFor(250);
    world.crash('pinger');
    world.runFor(1000); // 250..1250: down
    world.restart('pinger');
    world.runFor(350); // 1250..1600: pings at 1350, 1450, 1550

    const timers = entries(world, 'timer').filter((e) => e.node === 'pinger').map((e) => e.t);
    expect(timers).toEqual([100, 200, 1350, 1450, 1550]);
    expect(ctx(world, 'pinger').pingsSent).toBe(3);
  });

  it('keeps what a process crash had in the page cache, but a power loss drops writes not fsynced', () => {
    const world = createWorld({ seed: 1, network: constant(1) });
    world.addNode('journal', journalMachine);
    world.inject('journal', { type: 'write', value: 1, fsync: true });
    world.inject('journal', { type: 'write', value: 2, fsync: false });
    world.runFor(10);
    world.crash('journal');
    expect(world.disk('journal')).toEqual({ value: 2 });
    world.restart('journal');
    expect(ctx(world, 'journal').value).toBe(2);
    world.powerLoss('journal');
    expect(world.disk('journal')).toEqual({ value: 1 });
    world.restart('journal');
    expect(ctx(world, 'journal').value).toBe(1);
  });

  it('treats a crash of a down node and a restart of an up node as no-ops', () => {
    const world = createWorld({ seed: 1 });
    pair(world);
    world.restart('pinger');
    world.crash('pinger');
    world.crash('pinger');
    const faults = entries(world, 'fault').map((e) => [(e.fault as { kind: string }).kind, e.effect]);
    expect(faults).toEqual([
      ['restart', 'no-op'],
      ['crash', 'applied'],
      ['crash', 'no-op'],
    ]);
  });
});

describe('pause and resume', () => {
  it('holds deliveries to a paused node and releases them in arrival order on resume', () => {
    const world = createWorld({ seed: 3, network: { defaults: { latency: { kind: 'uniform', minMs: 1, maxMs: 30 } } } });
    pair(world, 'pinger', 'ponger', 20);
    const events = recordBus(world);
    world.runFor(100);
    const answeredBefore = ctx(world, 'ponger').pingsAnswered as number;
    world.pause('ponger');
    expect(world.status('ponger')).toBe('paused');
    world.runFor(200);
    expect(ctx(world, 'ponger').pingsAnswered).toBe(answeredBefore);

    const held = events.filter((e) => e.envelope.to === 'ponger' && e.kind === 'sent' && e.atMs >= 100 && e.atMs < 270);
    world.resume('ponger');
    world.runFor(0);
    // Every held ping is delivered at the resume instant, in the order the pings were sent (FIFO link).
    const releasedIds = events.filter((e) => e.kind === 'delivered' && e.envelope.to === 'ponger' && e.atMs === 300).map((e) => e.envelope.id);
    expect(releasedIds.length).toBeGreaterThanOrEqual(held.length - 1);
    expect(releasedIds).toEqual([...releasedIds].sort((a, b) => a - b));
    expect(ctx(world, 'ponger').pingsAnswered).toBe(answeredBefore + releasedIds.length);
  });

  it('holds the timers of a paused node: nothing fires while paused, the due timer fires on resume', () => {
    const world = createWorld({ seed: 1, network: constant(5) });
    pair(world);
    world.runFor(150);
    world.pause('pinger');
    world.runFor(400); // timers due at 200..500 are held
    expect(entries(world, 'timer').filter((e) => e.node === 'pinger').map((e) => e.t)).toEqual([100]);
    world.resume('pinger');
    world.runFor(0);
    const timers = entries(world, 'timer').filter((e) => e.node === 'pinger').map((e) => e.t);
    // Only the one `after` timer that was pending is held; it fires at the resume time.
    expect(timers).toEqual([100, 550]);
    world.runFor(100);
    expect(entries(world, 'timer').filter((e) => e.node === 'pinger').map((e) => e.t)).toEqual([100, 550, 650]);
  });

  it('drops what was held if the paused node crashes', () => {
    const world = createWorld({ seed: 1, network: constant(5) });
    pair(world);
    world.runFor(50);
    world.pause('ponger');
    world.runFor(200); // pings at 100 and 200 are held
    world.crash('ponger');
    world.restart('ponger');
    world.runFor(1);
    expect(ctx(world, 'ponger').pingsAnswered).toBe(0);
  });
});

describe('partitions', () => {
  it('drops exactly the traffic between groups, and heal restores it', () => {
    const world = createWorld({ seed: 5 });
    pair(world, 'p1', 'q1', 30);
    pair(world, 'p2', 'q2', 30);
    const events = recordBus(world);
    world.runFor(100);
    world.partition([['p1', 'q1', 'p2'], ['q2']]);
    const sideOf = (n: string) => (n === 'q2' ? 1 : 0);
    world.runFor(500);

    const during = events.filter((e) => e.atMs > 100 && e.envelope.sentAtMs > 100 && e.atMs <= 600);
    const crossing = (e: BusEvent) => sideOf(e.envelope.from) !== sideOf(e.envelope.to);
    const dropped = during.filter((e) => e.kind === 'dropped');
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((e) => crossing(e) && e.reason === 'partition')).toBe(true);
    const sentCrossing = during.filter((e) => e.kind === 'sent' && crossing(e)).map((e) => e.envelope.id);
    expect(dropped.map((e) => e.envelope.id)).toEqual(sentCrossing);
    expect(during.filter((e) => e.kind === 'delivered').every((e) => !crossing(e))).toBe(true);

    const pongsBefore = ctx(world, 'p2').pongsReceived as number;
    world.heal();
    world.runFor(300);
    expect(ctx(world, 'p2').pongsReceived).toBeGreaterThan(pongsBefore);
  });

  it('loses a message in flight when a partition starts before it arrives', () => {
    const world = createWorld({ seed: 1, network: constant(50) });
    pair(world);
    const events = recordBus(world);
    world.runFor(120); // ping 0 left at 100, due at 150
    world.partition({ isolate: 'ponger' });
    world.runFor(40);
    expect(events.filter((e) => e.envelope.id === 0).map((e) => [e.kind, e.reason])).toEqual([
      ['sent', undefined],
      ['dropped', 'partition'],
    ]);
  });

  it('a one-way partition drops one direction only', () => {
    const forward = createWorld({ seed: 1, network: constant(5) });
    pair(forward);
    forward.partition({ oneWay: { from: ['ponger'], to: ['pinger'] } });
    forward.runFor(1050);
    // Pings get through and are answered; the pongs are lost on the way back.
    expect(ctx(forward, 'ponger').pingsAnswered).toBe(10);
    expect(ctx(forward, 'pinger').pongsReceived).toBe(0);

    const backward = createWorld({ seed: 1, network: constant(5) });
    pair(backward);
    backward.partition({ oneWay: { from: ['pinger'], to: ['ponger'] } });
    backward.runFor(1000);
    expect(ctx(backward, 'ponger').pingsAnswered).toBe(0);
  });

  it('heal also removes link faults', () => {
    const world = createWorld({ seed: 1, network: constant(5) });
    pair(world);
    world.setLink('pinger', 'ponger', { dropProbability: 1 });
    world.runFor(500);
    expect(ctx(world, 'ponger').pingsAnswered).toBe(0);
    world.heal();
    world.runFor(550); // pings at 600..1000
    // The losses broke the connection: the first ping after the heal finds the hole and resets it, the rest get through.
    expect(ctx(world, 'ponger').pingsAnswered).toBe(4);
  });
});

describe('scheduled faults', () => {
  it('applies each fault at its virtual time, equal times in list order', () => {
    const world = createWorld({ seed: 1 });
    pair(world);
    world.schedule([
      { atMs: 300, kind: 'crash', node: 'ponger' },
      { atMs: 300, kind: 'restart', node: 'ponger' },
      { atMs: 100, kind: 'pause', node: 'pinger' },
      { atMs: 200, kind: 'resume', node: 'pinger' },
    ]);
    world.runFor(400);
    const applied = entries(world, 'fault').map((e) => [e.t, (e.fault as { kind: string }).kind, e.effect]);
    expect(applied).toEqual([
      [100, 'pause', 'applied'],
      [200, 'resume', 'applied'],
      [300, 'crash', 'applied'],
      [300, 'restart', 'applied'],
    ]);
    expect(world.status('ponger')).toBe('up');
  });
});

describe('delivery', () => {
  it('stamps the real sender on every event: a message cannot forge `from`', () => {
    const world = createWorld({ seed: 1, network: constant(1) });
    world.addNode('ponger', pongerMachine);
    const events = recordBus(world);
    world.inject('ponger', { type: 'ping', seq: 7, from: 'someone-else' });
    world.runFor(10);
    // The ponger answers whoever really sent the ping: the world, not the forged sender.
    const pong = events.find((e) => e.kind === 'sent' && e.envelope.from === 'ponger');
    expect(pong?.envelope.to).toBe('world');
    // Replies to "world" are delivered there, where events$ shows them.
    expect(events.some((e) => e.kind === 'delivered' && e.envelope.id === pong?.envelope.id)).toBe(true);
  });
});
