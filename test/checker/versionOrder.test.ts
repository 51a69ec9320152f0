import { describe, expect, it } from 'vitest';
import { denseDelta, denseIndex, valuesAt, versionOrder } from '../../src/checker/versionOrder.ts';
import { TestHistory } from './TestHistory.ts';

describe('versionOrder', () => {
  it('places acknowledged sends and the records of every completed poll, but no indefinite or failed send', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 3, 'c');
    h.sendInfo('p0', 'x', 'maybe', 0);
    h.sendFail('p0', 'x', 'failed', 0);
    h.pollOk('p1', { x: [[0, 'a']], 'y-1': [[7, 'q']] });
    h.poll('p1', 'fail', { x: [[5, 'e']] });
    h.poll('p1', 'info', { x: [[0, 'z']] });
    const order = versionOrder(h.ops);
    expect([...order.keys()]).toEqual(['x-0', 'y-1']);
    const x = order.get('x-0');
    expect(x?.offsets).toEqual([0, 3, 5]);
    expect(x && valuesAt(x, 0)).toEqual(['a', 'z']);
    expect(x && valuesAt(x, 3)).toEqual(['c']);
    expect(x && valuesAt(x, 4)).toEqual([]);
  });

  it("measures distance in known offsets, as Jepsen's dense indexes do", () => {
    const h = new TestHistory();
    for (const offset of [1, 2, 3, 4, 6, 7]) h.sendOk('p0', 'x', offset, `v${offset}`);
    const x = versionOrder(h.ops).get('x-0');
    if (x === undefined) throw new Error('x-0 missing');
    expect(denseIndex(x, 1)).toBe(0);
    expect(denseIndex(x, 6)).toBe(4);
    expect(denseDelta(x, 4, 7)).toBe(2); // offset 5 is a hole nobody saw
    expect(denseDelta(x, 3, 4)).toBe(1);
    expect(denseDelta(x, 4, 1)).toBe(-3);
  });
});
