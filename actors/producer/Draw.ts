import { ArgumentError } from '../../src/kernel/argumentError.ts';

/**
 * A source of uniform floats in [0, 1): a fork of the world's seeded Rng, or a scripted sequence in a test. The
 * producer draws only where Kafka draws (the partitioner's start counter and sticky choice, retry jitter).
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
