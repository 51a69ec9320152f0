import { describe, expect, it } from 'vitest';
import { divergingEpoch } from '../../../actors/broker/divergingEpoch.ts';
import { logFromBatches } from './logFixtures.ts';

// Leader: epoch 1 at 0-2, epoch 3 at 3-4 (LEO 5).
const leader = logFromBatches([
  [1, 3],
  [3, 2],
]);

describe('divergingEpoch', () => {
  it('finds no divergence for a follower whose last epoch ends at or after its fetch offset on the leader', () => {
    expect(divergingEpoch(leader, { fetchOffset: 3, lastFetchedEpoch: 1 })).toBeUndefined();
    expect(divergingEpoch(leader, { fetchOffset: 5, lastFetchedEpoch: 3 })).toBeUndefined();
  });

  it('points a follower that wrote past the end of its epoch on the leader to where that epoch ends', () => {
    expect(divergingEpoch(leader, { fetchOffset: 4, lastFetchedEpoch: 1 })).toEqual({ epoch: 1, endOffset: 3 });
  });

  it('points a follower with an epoch the leader never had to the largest lower epoch', () => {
    expect(divergingEpoch(leader, { fetchOffset: 3, lastFetchedEpoch: 2 })).toEqual({ epoch: 1, endOffset: 3 });
  });

  it('answers OFFSET_OUT_OF_RANGE when the leader cannot place the epoch', () => {
    expect(divergingEpoch(leader, { fetchOffset: 6, lastFetchedEpoch: 4 })).toBe('OFFSET_OUT_OF_RANGE');
  });

  it('skips the check for a follower without batches', () => {
    expect(divergingEpoch(leader, { fetchOffset: 0, lastFetchedEpoch: -1 })).toBeUndefined();
  });
});
