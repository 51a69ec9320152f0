import { describe, expect, it } from 'vitest';
import { drawInt, drawShuffle } from '../../../actors/controller/Draw.ts';
import { scriptedDraw } from './controllerFixtures.ts';

describe('drawInt', () => {
  it('maps a draw in [0, 1) onto [0, bound)', () => {
    expect(drawInt(scriptedDraw([0]), 4)).toBe(0);
    expect(drawInt(scriptedDraw([0.999]), 4)).toBe(3);
  });

  it('refuses a draw outside [0, 1)', () => {
    expect(() => drawInt(scriptedDraw([1]), 4)).toThrow(/draw.next\(\) must be a float in \[0, 1\), got 1/);
  });
});

describe('drawShuffle', () => {
  it("swaps from the end down like Collections.shuffle, drawing nothing for a single element", () => {
    // i = 3: swap(2, 0); i = 2: swap(1, 1).
    expect(drawShuffle(scriptedDraw([0, 0.6]), ['a', 'b', 'c'])).toEqual(['c', 'b', 'a']);
    expect(drawShuffle(scriptedDraw([]), ['only'])).toEqual(['only']);
  });
});
