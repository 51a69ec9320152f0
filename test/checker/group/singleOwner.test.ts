import { describe, expect, it } from 'vitest';
import { singleOwner } from '../../../src/checker/group/singleOwner.ts';
import { GroupLogBuilder } from './groupLogBuilder.ts';

describe('singleOwner', () => {
  it('flags two members of generation 3 owning orders-1 at once', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-0', 'orders-1'])
      .at(40)
      .owned('c2', 'm-2', 3, ['orders-1', 'orders-2']);
    expect(singleOwner(b.log)).toEqual({
      checker: 'single-owner',
      valid: false,
      anomalies: { 'double-ownership': 1 },
      examples: {
        'double-ownership': [
          { groupId: 'billing', partition: 'orders-1', generation: 3, nodes: ['c1', 'c2'], memberIds: ['m-1', 'm-2'], timeMs: 40 },
        ],
      },
    });
  });

  it('does not flag a zombie of generation 2 still owning orders-1 while the owner of generation 3 holds it', () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 2, ['orders-1']).owned('c2', 'm-2', 3, ['orders-1']);
    expect(singleOwner(b.log).valid).toBe(true);
  });

  it("flags a member that rejoined generation 3 still holding, from generation 2, orders-1 that generation 3 gave to another (KIP-429's withholding skipped)", () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 2, ['orders-0', 'orders-1'])
      .at(30)
      .generation('broker-1', 3, { 'm-1': ['orders-0'], 'm-2': ['orders-1'] })
      .at(40)
      .owned('c2', 'm-2', 3, ['orders-1']);
    expect(singleOwner(b.log).examples['double-ownership']).toEqual([
      { groupId: 'billing', partition: 'orders-1', generation: 3, nodes: ['c1', 'c2'], memberIds: ['m-1', 'm-2'], timeMs: 40 },
    ]);
  });

  it('accepts the cooperative protocol as Kafka runs it: orders-1 withheld in generation 3, handed over in generation 4', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 2, ['orders-0', 'orders-1'])
      .generation('broker-1', 3, { 'm-1': ['orders-0'], 'm-2': [] })
      .owned('c2', 'm-2', 3, [])
      .owned('c1', 'm-1', 3, ['orders-0'])
      .generation('broker-1', 4, { 'm-1': ['orders-0'], 'm-2': ['orders-1'] })
      .owned('c2', 'm-2', 4, ['orders-1'])
      .owned('c1', 'm-1', 4, ['orders-0']);
    expect(singleOwner(b.log).valid).toBe(true);
  });

  it('does not count a static member whose member id was given to its replacement (it is fenced, KIP-345)', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'i-1-a', 3, ['orders-1'])
      .replaced('broker-1', 3, 'i-1', 'i-1-a', 'i-1-b')
      .owned('c2', 'i-1-b', 3, ['orders-1'])
      .owned('c1', 'i-1-a', 3, ['orders-1']);
    expect(singleOwner(b.log).valid).toBe(true);
  });

  it('flags two processes that share one member id in one generation (bug C3, KAFKA-8500)', () => {
    const b = new GroupLogBuilder().owned('c1', 'i-1-a', 3, ['orders-1']).owned('c2', 'i-1-a', 3, ['orders-1']);
    expect(singleOwner(b.log).anomalies).toEqual({ 'double-ownership': 1 });
  });

  it('ends ownership when the node goes down', () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 3, ['orders-1']).down('c1').owned('c2', 'm-2', 3, ['orders-1']);
    expect(singleOwner(b.log).valid).toBe(true);
    const withoutDown = new GroupLogBuilder().owned('c1', 'm-1', 3, ['orders-1']).owned('c2', 'm-2', 3, ['orders-1']);
    expect(singleOwner(withoutDown.log).anomalies).toEqual({ 'double-ownership': 1 });
  });

  it('accepts a cooperative hand-over: c1 drops orders-1, then c2 gets it in the same generation', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 4, ['orders-0', 'orders-1'])
      .owned('c1', 'm-1', 4, ['orders-0'])
      .owned('c2', 'm-2', 4, ['orders-1']);
    expect(singleOwner(b.log).valid).toBe(true);
  });

  it('flags the hand-over when c2 gets orders-1 before c1 drops it, even at the same timeMs', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 4, ['orders-0', 'orders-1'])
      .at(10)
      .owned('c2', 'm-2', 4, ['orders-1'])
      .at(10)
      .owned('c1', 'm-1', 4, ['orders-0']);
    expect(singleOwner(b.log).anomalies).toEqual({ 'double-ownership': 1 });
  });

  it('reports a pair of nodes once per partition and generation, however many snapshots repeat it', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .owned('c2', 'm-2', 3, ['orders-1'])
      .owned('c1', 'm-1', 3, ['orders-1'])
      .owned('c2', 'm-2', 3, ['orders-1', 'orders-2'])
      .owned('c3', 'm-3', 3, ['orders-1']);
    const result = singleOwner(b.log);
    expect(result.anomalies).toEqual({ 'double-ownership': 3 });
    expect(result.examples['double-ownership']?.map((c) => (c as { nodes: string[] }).nodes)).toEqual([
      ['c1', 'c2'],
      ['c1', 'c3'],
      ['c2', 'c3'],
    ]);
  });

  it('does not compare partitions across groups', () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 3, ['orders-1']).group('audit').owned('c2', 'm-2', 3, ['orders-1']);
    expect(singleOwner(b.log).valid).toBe(true);
  });

  it('treats a snapshot without a generation (-1) as owning nothing', () => {
    const b = new GroupLogBuilder().owned('c1', '', -1, ['orders-1']).owned('c2', '', -1, ['orders-1']);
    expect(singleOwner(b.log).valid).toBe(true);
  });

  it("is 'unknown' when no snapshot owned any partition", () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 1, []).down('c1').commitAccepted('broker-1', 'm-1', 1, 1, { 'orders-1': 3 });
    expect(singleOwner(b.log).valid).toBe('unknown');
  });
});
