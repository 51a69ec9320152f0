import { describe, expect, it } from 'vitest';
import { beginReadToEnd, isReadToEndDone } from '../../../actors/reader/index.ts';

describe('readToEnd', () => {
  it('is done after a caught-up poll once metadata asked after the read began has come back', () => {
    const reading = beginReadToEnd(3, false);
    expect(isReadToEndDone(reading, true, 3)).toBe(false);
    expect(isReadToEndDone(reading, true, 4)).toBe(true);
    expect(isReadToEndDone(reading, false, 4)).toBe(false);
  });

  it('does not trust a metadata response that was already in flight when the read began', () => {
    const reading = beginReadToEnd(3, true);
    expect(isReadToEndDone(reading, true, 4)).toBe(false);
    expect(isReadToEndDone(reading, true, 5)).toBe(true);
  });

  it('is never done when no read is running', () => {
    expect(isReadToEndDone({ phase: 'idle' }, true, 9)).toBe(false);
    expect(isReadToEndDone({ phase: 'requested' }, true, 9)).toBe(false);
  });
});
