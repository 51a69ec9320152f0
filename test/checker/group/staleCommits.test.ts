import { describe, expect, it } from 'vitest';
import { staleCommits } from '../../../src/checker/group/staleCommits.ts';
import { GroupLogBuilder } from './groupLogBuilder.ts';

describe('staleCommits', () => {
  it('flags a commit from a zombie of generation 2 stored while the group is in generation 3', () => {
    const b = new GroupLogBuilder()
      .generation('broker-1', 3, { 'm-2': ['orders-1'] })
      .commitAccepted('broker-1', 'm-2', 3, 3, { 'orders-1': 12 })
      .at(55)
      .commitAccepted('broker-1', 'm-1', 2, 3, { 'orders-1': 7 });
    expect(staleCommits(b.log)).toEqual({
      checker: 'stale-commit',
      valid: false,
      anomalies: { 'stale-generation-commit': 1 },
      examples: {
        'stale-generation-commit': [
          { groupId: 'billing', coordinator: 'broker-1', memberId: 'm-1', generation: 2, groupGeneration: 3, offsets: { 'orders-1': 7 }, timeMs: 55 },
        ],
      },
    });
  });

  it('accepts commits of the current generation and commits from outside group management (-1)', () => {
    const b = new GroupLogBuilder()
      .commitAccepted('broker-1', 'm-1', 3, 3, { 'orders-1': 7 })
      .commitAccepted('broker-1', '', -1, 3, { 'orders-1': 9 });
    expect(staleCommits(b.log)).toEqual({ checker: 'stale-commit', valid: true, anomalies: {}, examples: {} });
  });

  it("is 'unknown' when no coordinator stored a commit", () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 1, ['orders-1']).generation('broker-1', 1, { 'm-1': ['orders-1'] });
    expect(staleCommits(b.log).valid).toBe('unknown');
  });
});
