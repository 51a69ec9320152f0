import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type { BusEvent } from '../../src/kernel/Bus.ts';
import { createWorld } from '../../src/kernel/World.ts';
import type { TraceEntry } from '../../src/history/Trace.ts';

// world.call: the application inside a node's process calls its client. No bus: the call reaches the machine at
// once, never lost; a paused process takes it when it resumes; a process that is down has no application to call.

/** Keeps the values of the `client.note` calls it gets, with the sender each carried. */
const clientMachine = setup({
  types: {
    input: {} as NodeInput,
    context: {} as { got: string[] },
    events: {} as { type: 'client.note'; value: string; from: string },
    emitted: {} as HostEmitted,
  },
}).createMachine({
  context: { got: [] },
  on: { 'client.note': { actions: assign({ got: ({ context, event }) => [...context.got, `${event.value}@${event.from}`] }) } },
});

function world() {
  const w = createWorld({ seed: 1, network: { defaults: { latency: { kind: 'constant', ms: 5 }, dropProbability: 1 } } });
  const events: BusEvent[] = [];
  w.events$.subscribe((e) => events.push(e));
  w.addNode('app', clientMachine);
  const got = () => (w.snapshot('app')?.context as { got: string[] } | undefined)?.got;
  return { w, events, got };
}

describe('world.call', () => {
  it('reaches the machine at once, from the node itself, with no bus delivery even on a network that loses everything', () => {
    const { w, events, got } = world();
    w.call('app', { type: 'client.note', value: 'a' });
    expect(got()).toEqual(['a@app']);
    expect(events).toEqual([]);
    const calls = w.trace().filter((e): e is Extract<TraceEntry, { kind: 'call' }> => e.kind === 'call');
    expect(calls).toEqual([{ t: 0, kind: 'call', node: 'app', event: { type: 'client.note', value: 'a' }, outcome: 'taken' }]);
  });

  it('waits while the process is paused, and is taken at the resume', () => {
    const { w, got } = world();
    w.pause('app');
    w.call('app', { type: 'client.note', value: 'held' });
    w.runFor(100);
    expect(got()).toEqual([]);
    w.resume('app');
    w.runFor(1);
    expect(got()).toEqual(['held@app']);
  });

  it('is dropped while the process is down (the application went with it), and traced as dropped', () => {
    const { w, got } = world();
    w.crash('app');
    w.call('app', { type: 'client.note', value: 'lost' });
    w.restart('app');
    expect(got()).toEqual([]);
    expect(w.trace().filter((e) => e.kind === 'call').map((e) => (e as { outcome: string }).outcome)).toEqual(['dropped']);
  });

  it('refuses an unknown node or an event without a type', () => {
    const { w } = world();
    expect(() => w.call('nobody', { type: 'x' })).toThrow(/world.call/);
    expect(() => w.call('app', {} as never)).toThrow(/event/);
  });
});
