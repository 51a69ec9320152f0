import { ArgumentError } from '../../src/kernel/argumentError.ts';

/**
 * A source of uniform floats in [0, 1): a fork of the world's seeded Rng, or a scripted sequence in a test. The
 * controller draws only where Kafka draws (the replica placer's start offsets and shuffles).
 */
export interface Draw {
  next(): number;
}

/** A uniform integer in [0, bound) from one draw; stands in for Java's `Random#nextInt(bound)` (not bit for bit). */
export function drawInt(draw: Draw, bound: number): number {
  const value = draw.next();
  if (!(value >= 0 && value < 1)) throw new ArgumentError('drawInt', 'draw.next()', value, 'a float in [0, 1)');
  return Math.floor(value * bound);
}

/** A shuffled copy, Java's `Collections.shuffle` loop (swap i-1 with a draw in [0, i), from the end down). */
export function drawShuffle<T>(draw: Draw, items: readonly T[]): T[] {
  const shuffled = [...items];
  for (let i = shuffled.length; i > 1; i--) {
    const j = drawInt(draw, i);
    const a = shuffled[i - 1] as T;
    shuffled[i - 1] = shuffled[j] as T;
    shuffled[j] = a;
  }
  return shuffled;
}
