import { describe, expect, it } from 'vitest';
import { advancePosition, positionOf, positionsAtBeginning, resetPosition } from '../../../actors/reader/index.ts';

describe('fetchPositions', () => {
  it('starts every assigned partition at offset 0', () => {
    expect(positionsAtBeginning(['t-0', 't-1'])).toEqual({ 't-0': 0, 't-1': 0 });
  });

  it('advances a position forward and keeps the others', () => {
    const positions = advancePosition(positionsAtBeginning(['t-0', 't-1']), 't-0', 4);
    expect(positions).toEqual({ 't-0': 4, 't-1': 0 });
    expect(advancePosition(positions, 't-0', 4)).toBe(positions);
  });

  it('refuses to move a position backwards when records are returned', () => {
    expect(() => advancePosition({ 't-0': 5 }, 't-0', 4)).toThrow(/moving back from 5 to 4/);
  });

  it('lets a reset move a position either way, but not below 0', () => {
    expect(resetPosition({ 't-0': 7 }, 't-0', 2)).toEqual({ 't-0': 2 });
    expect(resetPosition({ 't-0': 2 }, 't-0', 9)).toEqual({ 't-0': 9 });
    expect(() => resetPosition({ 't-0': 2 }, 't-0', -1)).toThrow(/reset of t-0/);
  });

  it('has no position for a partition that is not assigned', () => {
    expect(() => positionOf({ 't-0': 0 }, 't-1')).toThrow(/unassigned partition t-1/);
  });
});
