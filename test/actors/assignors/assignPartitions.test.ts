import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignmentStrategies, assignPartitions } from '../../../actors/assignors/assignPartitions.ts';
import type { AssignmentInput } from '../../../actors/assignors/AssignmentInput.ts';
import { cooperativeStickyAssign } from '../../../actors/assignors/cooperativeStickyAssign.ts';
import { rangeAssign } from '../../../actors/assignors/rangeAssign.ts';
import { roundRobinAssign } from '../../../actors/assignors/roundRobinAssign.ts';
import { stickyAssign } from '../../../actors/assignors/stickyAssign.ts';
import { assignmentInputArbitrary } from './assignmentInputArbitrary.ts';
import { partitionList } from './partitionList.ts';
import { propertyParameters } from './propertyParameters.ts';

const twoMembers: AssignmentInput = {
  partitionsPerTopic: { t1: 3, t2: 3 },
  members: [
    { memberId: 'c1', topics: ['t1', 't2'] },
    { memberId: 'c2', topics: ['t1', 't2'] },
  ],
};

describe('assignPartitions', () => {
  it('runs the assignor named by the strategy', () => {
    expect(assignmentStrategies).toEqual(['range', 'roundrobin', 'sticky', 'cooperative-sticky']);
    expect(assignPartitions('range', twoMembers)).toEqual(rangeAssign(twoMembers));
    expect(assignPartitions('roundrobin', twoMembers)).toEqual(roundRobinAssign(twoMembers));
    expect(assignPartitions('sticky', twoMembers)).toEqual(stickyAssign(twoMembers));
    expect(assignPartitions('cooperative-sticky', twoMembers)).toEqual(cooperativeStickyAssign(twoMembers));
    // The strategies really differ on this input, so a mixed-up table would show.
    expect(assignPartitions('range', twoMembers)).toEqual({
      c1: partitionList('t1-0, t1-1, t2-0, t2-1'),
      c2: partitionList('t1-2, t2-2'),
    });
    expect(assignPartitions('roundrobin', twoMembers)).toEqual({
      c1: partitionList('t1-0, t1-2, t2-1'),
      c2: partitionList('t1-1, t2-0, t2-2'),
    });
  });

  it('gives a member subscribed to a topic missing from the metadata nothing for it', () => {
    const input = {
      partitionsPerTopic: { known: 2 },
      members: [
        { memberId: 'c1', topics: ['known', 'missing'] },
        { memberId: 'c2', topics: ['missing'] },
      ],
    };
    for (const strategy of assignmentStrategies) {
      expect(assignPartitions(strategy, input)).toEqual({ c1: partitionList('known-0, known-1'), c2: [] });
    }
  });

  it('rejects an unknown strategy, naming the ones it knows', () => {
    expect(() => assignPartitions('foo' as never, twoMembers)).toThrow(
      'assignPartitions: strategy must be one of range, roundrobin, sticky, cooperative-sticky, got "foo"',
    );
    // Prototype keys are not strategies either.
    expect(() => assignPartitions('toString' as never, twoMembers)).toThrow('assignPartitions: strategy must be one of');
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    ['3', '"3"'],
  ])('rejects a partition count of %s', (count, shown) => {
    const input = { ...twoMembers, partitionsPerTopic: { t1: 3, t2: count as number } };
    expect(() => assignPartitions('range', input)).toThrow(
      `assignPartitions: partitionsPerTopic["t2"] must be a non-negative integer, got ${shown}`,
    );
  });

  it('accepts a topic with zero partitions and assigns nothing from it', () => {
    const input = { ...twoMembers, partitionsPerTopic: { t1: 0, t2: 0 } };
    expect(assignPartitions('sticky', input)).toEqual({ c1: [], c2: [] });
  });

  it('rejects duplicate member ids, naming both positions', () => {
    const input = { ...twoMembers, members: [...twoMembers.members, { memberId: 'c1', topics: ['t1'] }] };
    expect(() => assignPartitions('sticky', input)).toThrow(
      'assignPartitions: members[2].memberId must be unique (members[0] has it too), got "c1"',
    );
  });

  it('is pure: the input is left untouched and the same input gives the same assignment', () => {
    fc.assert(
      fc.property(assignmentInputArbitrary(), fc.constantFrom(...assignmentStrategies), (input, strategy) => {
        const before = structuredClone(input);
        const first = assignPartitions(strategy, input);
        expect(input).toEqual(before);
        expect(assignPartitions(strategy, structuredClone(input))).toEqual(first);
      }),
      propertyParameters(),
    );
  });

  it('handles member ids and topics that collide with Object.prototype keys', () => {
    const input = {
      partitionsPerTopic: { constructor: 1 },
      members: [
        { memberId: '__proto__', topics: ['constructor', 'toString'] },
        { memberId: 'hasOwnProperty', topics: ['constructor'] },
      ],
    };
    for (const strategy of assignmentStrategies) {
      const assignment = assignPartitions(strategy, input);
      expect(Object.keys(assignment)).toEqual(['__proto__', 'hasOwnProperty']);
      expect(Object.values(assignment).flat()).toEqual(partitionList('constructor-0'));
    }
  });
});
