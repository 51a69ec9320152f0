import { describe, expect, it } from 'vitest';
import { Bus, type BusEvent, type Endpoint, type Envelope } from '../../src/kernel/Bus.ts';
import { Rng } from '../../src/kernel/Rng.ts';
import { VirtualClock } from '../../src/kernel/VirtualClock.ts';
import { compilePartition } from '../../src/kernel/partitions.ts';
import type { NetworkConfig } from '../../src/kernel/networkModel.ts';
import { Trace } from '../../src/history/Trace.ts';

/** An endpoint that takes every envelope at once, reports it delivered and keeps it with its arrival time. */
class RecordingEndpoint implements Endpoint {
  incarnation = 1;
  readonly received: Array<{ atMs: number; envelope: Envelope }> = [];
  constructor(
    private readonly bus: () => Bus,
    private readonly clock: VirtualClock,
  ) {}
  receive(envelope: Envelope): void {
    this.received.push({ atMs: this.clock.now, envelope });
    this.bus().reportDelivered(envelope);
  }
}

interface Rig {
  clock: VirtualClock;
  bus: Bus;
  trace: Trace;
  nodes: Record<'a' | 'b' | 'c', RecordingEndpoint>;
  events: BusEvent[];
  run(): void;
}

function rig(network: NetworkConfig = { defaults: { latency: { kind: 'constant', ms: 10 } } }, seed = 1): Rig {
  const clock = new VirtualClock();
  const trace = new Trace();
  const bus = new Bus(clock, new Rng(seed).fork('network'), trace, network);
  const make = () => new RecordingEndpoint(() => bus, clock);
  const nodes = { a: make(), b: make(), c: make() };
  for (const [id, endpoint] of Object.entries(nodes)) bus.register(id, endpoint);
  const events: BusEvent[] = [];
  bus.events$.subscribe((e) => events.push(e));
  return {
    clock,
    bus,
    trace,
    nodes,
    events,
    run: () => {
      while (clock.step());
    },
  };
}

const summary = (events: BusEvent[]) => events.map((e) => [e.kind, e.atMs, e.envelope.id, e.envelope.duplicate, e.reason]);

describe('Bus', () => {
  it('routes each delivery to its destination with the sender’s envelope fields', () => {
    const { bus, clock, nodes, run } = rig();
    clock.advanceTo(5);
    const first = bus.send('a', 'b', { type: 'ping', n: 1 });
    const second = bus.send('c', 'a', { type: 'pong' });
    expect([first, second]).toEqual([0, 1]);
    run();
    expect(nodes.b.received).toEqual([
      {
        atMs: 15,
        envelope: { id: 0, from: 'a', to: 'b', message: { type: 'ping', n: 1 }, sentAtMs: 5, toIncarnation: 1, duplicate: false, connection: 0 },
      },
    ]);
    expect(nodes.a.received.map((r) => [r.atMs, r.envelope.from, r.envelope.message.type])).toEqual([[15, 'c', 'pong']]);
    expect(nodes.c.received).toEqual([]);
  });

  it('hands over the message object itself, not a copy', () => {
    const { bus, nodes, run } = rig();
    const message = { type: 'ping', payload: [1, 2] };
    bus.send('a', 'b', message);
    run();
    expect(nodes.b.received[0]?.envelope.message).toBe(message);
  });

  it('looks the destination up at arrival time, so a re-registered endpoint gets mail already in flight', () => {
    const { bus, clock, nodes, run } = rig();
    bus.send('a', 'b', { type: 'ping' });
    const replacement = new RecordingEndpoint(() => bus, clock);
    bus.register('b', replacement);
    run();
    expect(nodes.b.received).toEqual([]);
    expect(replacement.received).toHaveLength(1);
  });

  it('stamps toIncarnation with the destination’s incarnation when the message left', () => {
    const { bus, clock, nodes, run } = rig();
    nodes.b.incarnation = 3;
    bus.send('a', 'b', { type: 'old-life' });
    clock.advanceTo(5);
    nodes.b.incarnation = 4; // b restarts while the message is in flight
    bus.send('a', 'b', { type: 'new-life' });
    run();
    expect(nodes.b.received.map((r) => [r.envelope.message.type, r.envelope.toIncarnation])).toEqual([
      ['old-life', 3],
      ['new-life', 4],
    ]);
  });

  it('reports sent, duplicated, delivered and dropped on events$, in order, each with its virtual time', () => {
    const { bus, clock, run, events } = rig({
      defaults: { latency: { kind: 'constant', ms: 10 } },
      links: [
        { from: 'a', to: 'c', dropProbability: 1 },
        { from: 'b', to: 'a', duplicateProbability: 1 },
      ],
    });
    bus.send('a', 'b', { type: 'm0' });
    clock.advanceTo(2);
    bus.send('a', 'c', { type: 'm1' });
    clock.advanceTo(3);
    bus.send('b', 'a', { type: 'm2' });
    run();
    expect(summary(events)).toEqual([
      ['sent', 0, 0, false, undefined],
      ['sent', 2, 1, false, undefined],
      ['dropped', 2, 1, false, 'loss'],
      ['sent', 3, 2, false, undefined],
      ['duplicated', 3, 2, true, undefined],
      ['delivered', 10, 0, false, undefined],
      ['delivered', 13, 2, false, undefined],
      ['delivered', 13, 2, true, undefined],
    ]);
  });

  it('writes the same story to the trace', () => {
    const { bus, trace, run } = rig({ defaults: { latency: { kind: 'constant', ms: 4 }, duplicateProbability: 1 } });
    bus.send('a', 'b', { type: 'hi' });
    run();
    expect(trace.entries()).toEqual([
      { t: 0, kind: 'sent', id: 0, from: 'a', to: 'b', message: { type: 'hi' } },
      { t: 0, kind: 'duplicated', id: 0, to: 'b' },
      { t: 4, kind: 'delivered', id: 0, to: 'b' },
      { t: 4, kind: 'delivered', id: 0, to: 'b' },
    ]);
  });

  it('throws for an unknown destination, listing the known ones, and sends nothing', () => {
    const { bus, trace, events, clock } = rig();
    expect(() => bus.send('a', 'zz', { type: 'x' })).toThrow('unknown destination "zz" (known: a, b, c)');
    expect(trace.length).toBe(0);
    expect(events).toEqual([]);
    expect(clock.pending).toBe(0);
    expect(bus.has('zz')).toBe(false);
    expect(bus.has('a')).toBe(true);
    // The failed send did not use up an envelope id.
    expect(bus.send('a', 'b', { type: 'x' })).toBe(0);
  });

  it('applies configured per-link settings to that direction only', () => {
    const { bus } = rig({ defaults: { latency: { kind: 'constant', ms: 10 } }, links: [{ from: 'a', to: 'b', dropProbability: 0.5 }] });
    expect(bus.linkConfig('a', 'b').dropProbability).toBe(0.5);
    expect(bus.linkConfig('b', 'a').dropProbability).toBe(0);
    expect(bus.linkConfig('a', 'b').latency).toEqual({ kind: 'constant', ms: 10 });
  });

  it('changes a link with setLinkFault, and restores it when the fault is removed', () => {
    const { bus, nodes, run } = rig();
    const before = bus.linkConfig('a', 'b');
    bus.setLinkFault('a', 'b', { latency: { kind: 'constant', ms: 100 }, dropProbability: 0 });
    expect(bus.linkConfig('a', 'b').latency).toEqual({ kind: 'constant', ms: 100 });
    expect(bus.linkConfig('b', 'a')).toEqual(before);
    bus.send('a', 'b', { type: 'slow' });
    run();
    expect(nodes.b.received[0]?.atMs).toBe(100);
    bus.setLinkFault('a', 'b', undefined);
    expect(bus.linkConfig('a', 'b')).toEqual(before);
  });

  it('heal removes every link fault but keeps the configured link settings', () => {
    const { bus } = rig({ defaults: { latency: { kind: 'constant', ms: 10 } }, links: [{ from: 'a', to: 'b', duplicateProbability: 0.25 }] });
    const configured = bus.linkConfig('a', 'b');
    bus.setLinkFault('a', 'b', { dropProbability: 1 });
    bus.setLinkFault('c', 'a', { reorderProbability: 1 });
    expect(bus.linkConfig('a', 'b')).toMatchObject({ dropProbability: 1, duplicateProbability: 0.25 });
    bus.heal();
    expect(bus.linkConfig('a', 'b')).toEqual(configured);
    expect(bus.linkConfig('c', 'a').reorderProbability).toBe(0);
  });

  it('drops messages across a partition at send time, and heal lets them through again', () => {
    const { bus, nodes, events, run } = rig({ connections: 'datagram', defaults: { latency: { kind: 'constant', ms: 10 } } });
    bus.setPartition(compilePartition('test', { groups: [['a'], ['b']] }, new Set(['a', 'b', 'c'])));
    bus.send('a', 'b', { type: 'blocked' });
    bus.send('a', 'c', { type: 'free' });
    run();
    expect(nodes.b.received).toEqual([]);
    expect(nodes.c.received).toHaveLength(1);
    expect(events.find((e) => e.kind === 'dropped')).toMatchObject({ atMs: 0, reason: 'partition', envelope: { id: 0 } });
    bus.heal();
    bus.send('a', 'b', { type: 'after-heal' });
    run();
    expect(nodes.b.received.map((r) => r.envelope.message.type)).toEqual(['after-heal']);
  });

  describe('tcp connections (the default)', () => {
    const received = (endpoint: RecordingEndpoint) => endpoint.received.map((r) => [r.atMs, r.envelope.from, r.envelope.message.type]);

    it('drops what follows a lost message on its link, resets the connection at both ends, then lets new messages through', () => {
      const { bus, clock, nodes, events, run } = rig();
      bus.setPartition(compilePartition('test', { groups: [['a'], ['b']] }, new Set(['a', 'b', 'c'])));
      bus.send('a', 'b', { type: 'lost' });
      bus.heal();
      bus.send('a', 'b', { type: 'after-hole' }); // arrives at 10, behind a hole: the receiver finds the break
      bus.send('a', 'c', { type: 'other-link' });
      run();
      expect(received(nodes.b)).toEqual([[10, 'a', 'connection.reset']]);
      expect(received(nodes.a)).toEqual([[20, 'b', 'connection.reset']]);
      expect(received(nodes.c)).toEqual([[10, 'a', 'other-link']]);
      expect(events.filter((e) => e.kind === 'dropped').map((e) => [e.envelope.id, e.reason])).toEqual([
        [0, 'partition'],
        [1, 'reset'],
      ]);
      clock.advanceTo(25);
      bus.send('a', 'b', { type: 'new-connection' });
      run();
      expect(received(nodes.b).at(-1)).toEqual([35, 'a', 'new-connection']);
    });

    it('drops what the sender sends before it has heard of the reset, and what was still in flight on the old connection', () => {
      const { bus, clock, nodes, events, run } = rig();
      bus.setPartition(compilePartition('test', { oneWay: { from: ['a'], to: ['b'] } }, new Set(['a', 'b', 'c'])));
      bus.send('a', 'b', { type: 'lost' });
      bus.setPartition(undefined);
      bus.send('a', 'b', { type: 'hole-found' }); // arrives at 10: reset sent back, a hears at 20
      clock.advanceTo(5);
      bus.send('a', 'b', { type: 'before-a-hears' }); // arrives at 15 on the broken connection
      while (clock.step(15));
      clock.advanceTo(15);
      bus.send('a', 'b', { type: 'still-old' }); // arrives at 25, after a reopened at 20
      run();
      expect(received(nodes.b).filter(([, , type]) => type !== 'connection.reset')).toEqual([]);
      expect(events.filter((e) => e.kind === 'dropped').map((e) => [e.envelope.message.type, e.reason])).toEqual([
        ['lost', 'partition'],
        ['hole-found', 'reset'],
        ['before-a-hears', 'reset'],
        ['still-old', 'reset'],
      ]);
      // One reset per break, not one per dropped message.
      expect(events.filter((e) => e.kind === 'sent' && e.envelope.reset === 'peer')).toHaveLength(1);
    });

    it('sends the reset again when the first one is lost', () => {
      const { bus, clock, nodes, run } = rig();
      bus.setPartition(compilePartition('test', { groups: [['a'], ['b']] }, new Set(['a', 'b', 'c'])));
      bus.send('a', 'b', { type: 'lost' });
      bus.setPartition(compilePartition('test', { oneWay: { from: ['b'], to: ['a'] } }, new Set(['a', 'b', 'c'])));
      bus.send('a', 'b', { type: 'hole-found' }); // its reset back to a is cut
      run();
      expect(received(nodes.a)).toEqual([]);
      bus.heal();
      clock.advanceTo(100);
      bus.send('a', 'b', { type: 'retry' });
      run();
      expect(received(nodes.a)).toEqual([[120, 'b', 'connection.reset']]);
    });

    it('leaves a link without losses alone: in-flight messages of a restarted sender still arrive', () => {
      const { bus, clock, nodes, run } = rig();
      bus.send('a', 'b', { type: 'before-crash' });
      clock.advanceTo(5);
      bus.restartConnectionsFrom('a');
      bus.send('a', 'b', { type: 'after-restart' });
      run();
      expect(received(nodes.b)).toEqual([
        [10, 'a', 'before-crash'],
        [15, 'a', 'after-restart'],
      ]);
    });

    it('gives a restarted sender a new connection, dropping the rest of a broken one', () => {
      const { bus, clock, nodes, run } = rig();
      bus.setPartition(compilePartition('test', { groups: [['a'], ['b']] }, new Set(['a', 'b', 'c'])));
      bus.send('a', 'b', { type: 'lost' });
      bus.setPartition(undefined);
      bus.send('a', 'b', { type: 'behind-the-hole' });
      clock.advanceTo(5);
      bus.restartConnectionsFrom('a');
      bus.send('a', 'b', { type: 'new-life' });
      run();
      expect(received(nodes.b)).toEqual([[15, 'a', 'new-life']]);
    });

    it('refuses a message to a dead process on a live machine at once, and stays silent for a machine without power', () => {
      for (const machineUp of [true, false]) {
        const { bus, nodes, run } = rig();
        const dead: Endpoint = { incarnation: 1, machineUp, receive: (envelope) => bus.reportDropped(envelope, 'crashed') };
        bus.register('b', dead);
        bus.send('a', 'b', { type: 'to-the-dead' });
        bus.send('a', 'b', { type: 'behind-it' });
        run();
        expect(received(nodes.a)).toEqual(machineUp ? [[20, 'b', 'connection.reset']] : []);
      }
    });

    it('tells every peer of a crashed process that its connection closed, after what the process had sent', () => {
      const { bus, nodes, run } = rig();
      bus.send('a', 'b', { type: 'request' });
      bus.send('b', 'c', { type: 'push' });
      bus.closeConnectionsOf('b');
      run();
      expect(received(nodes.a)).toEqual([[10, 'b', 'connection.reset']]);
      expect(received(nodes.c)).toEqual([
        [10, 'b', 'push'],
        [10, 'b', 'connection.reset'],
      ]);
    });

    it('breaks the connection on random loss too, but not when a duplicate copy is lost', () => {
      const { bus, nodes, run } = rig({ defaults: { latency: { kind: 'constant', ms: 10 }, dropProbability: 1 } });
      bus.send('a', 'b', { type: 'lost' });
      bus.setLinkFault('a', 'b', { dropProbability: 0 });
      bus.send('a', 'b', { type: 'behind-the-hole' });
      run();
      expect(received(nodes.b)).toEqual([[10, 'a', 'connection.reset']]);
    });
  });

  it('drops at arrival a message already in flight when a partition starts', () => {
    const { bus, clock, nodes, events, run } = rig();
    bus.send('a', 'b', { type: 'in-flight' });
    bus.send('b', 'a', { type: 'other-way' });
    clock.advanceTo(5);
    bus.setPartition(compilePartition('test', { oneWay: { from: ['a'], to: ['b'] } }, new Set(['a', 'b', 'c'])));
    run();
    expect(nodes.b.received).toEqual([]);
    expect(nodes.a.received).toHaveLength(1);
    expect(summary(events.filter((e) => e.envelope.id === 0))).toEqual([
      ['sent', 0, 0, false, undefined],
      ['dropped', 10, 0, false, 'partition'],
    ]);
  });

  it('delivers a message sent before a partition that healed before it arrived', () => {
    const { bus, clock, nodes, run } = rig();
    bus.send('a', 'b', { type: 'lucky' });
    clock.advanceTo(2);
    bus.setPartition(compilePartition('test', { isolate: 'b' }, new Set(['a', 'b', 'c'])));
    clock.advanceTo(4);
    bus.setPartition(undefined);
    run();
    expect(nodes.b.received.map((r) => r.atMs)).toEqual([10]);
  });

  it('keeps a link FIFO across a latency change: a faster link does not let later messages overtake', () => {
    const { bus, clock, nodes, run } = rig({ defaults: { latency: { kind: 'constant', ms: 50 } } });
    bus.send('a', 'b', { type: 'first' });
    clock.advanceTo(1);
    bus.setLinkFault('a', 'b', { latency: { kind: 'constant', ms: 1 } });
    bus.send('a', 'b', { type: 'second' });
    run();
    expect(nodes.b.received.map((r) => [r.envelope.message.type, r.atMs])).toEqual([
      ['first', 50],
      ['second', 50],
    ]);
  });

  it('makes the same choices for the same seed', () => {
    const lossy: NetworkConfig = { defaults: { latency: { kind: 'uniform', minMs: 1, maxMs: 30 }, dropProbability: 0.3, duplicateProbability: 0.2 } };
    const runOnce = (seed: number) => {
      const r = rig(lossy, seed);
      for (let i = 0; i < 40; i++) r.bus.send(i % 2 === 0 ? 'a' : 'c', 'b', { type: 'm', i });
      r.run();
      return summary(r.events);
    };
    expect(runOnce(4)).toEqual(runOnce(4));
    expect(runOnce(4)).not.toEqual(runOnce(5));
  });
});
