import { describe, expect, it } from 'vitest';
import { beginReadToEnd, isReadToEndDone } from '../../../actors/reader/index.ts';

describe('readToEnd', () => {
  it('is done after a caught-up poll once a metadata request sent after the read began has been answered', () => {
    // The reader's next correlation id was 7 when the read began.
    const reading = beginReadToEnd(7);
    expect(isReadToEndDone(reading, true, 6)).toBe(false);
    expect(isReadToEndDone(reading, true, 7)).toBe(true);
    expect(isReadToEndDone(reading, true, 9)).toBe(true);
    expect(isReadToEndDone(reading, false, 9)).toBe(false);
  });

  it('does not trust the answer to a request that was already in flight when the read began', () => {
    expect(isReadToEndDone(beginReadToEnd(7), true, 5)).toBe(false);
  });

  it('is never done when no read is running', () => {
    expect(isReadToEndDone({ phase: 'idle' }, true, 9)).toBe(false);
    expect(isReadToEndDone({ phase: 'requested' }, true, 9)).toBe(false);
  });
});
