import { customRandom } from 'nanoid';

/** The seed of a run: a finite number or a string. */
export type Seed = number | string;

const NANOID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-';

/**
 * The seeded pseudo-random generator, the only source of randomness in the simulation.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand, a few
 * integer operations per draw. The state comes from hashing the seed's path, so `fork(label)` depends on the
 * seed and the label only, never on how many draws the parent has made: adding a fault does not shift the
 * network's draws.
 */
export class Rng {
  /** The path this generator was seeded from, e.g. `42/network`. */
  readonly path: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Seed, path = seedPath(seed)) {
    this.path = path;
    [this.a, this.b, this.c, this.d] = hashToState(this.path);
    // Discard the first draws: sfc32 mixes weakly for its first dozen outputs.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A generator for one part of the simulation, independent of this one's draws. */
  fork(label: string): Rng {
    if (typeof label !== 'string' || label.length === 0) {
      throw new Error(`Rng.fork: label must be a non-empty string, got ${JSON.stringify(label)}`);
    }
    const path = `${this.path}/${escapeSegment(label)}`;
    return new Rng(path, path);
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new Error(`Rng.int: min and max must be integers with min <= max, got ${min} and ${max}`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform float in [min, max); callers pass min <= max (it is on the per-message path, so unchecked). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with the given probability. Draws nothing when the probability is 0 or 1. */
  chance(probability: number): boolean {
    if (probability <= 0) return false;
    if (probability >= 1) return true;
    return this.next() < probability;
  }

  /** An exponentially distributed float with the given mean (>= 0; unchecked, as for `float`). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: items must not be empty');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** Fills a byte array from this generator (the `getRandom` that nanoid's customRandom expects). */
  bytes(size: number): Uint8Array {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }

  /** An id generator in nanoid's alphabet, drawing from this generator instead of crypto. */
  nanoid(size = 21): () => string {
    return customRandom(NANOID_ALPHABET, size, (n) => this.bytes(n));
  }
}

/**
 * Validates a seed and turns it into the root of a fork path. Segments have their "/" escaped, so a seed or label
 * holding "/" never collides with a deeper fork. A number and its decimal string are the same seed
 * (`--seed 42` on the command line replays seed 42).
 */
export function seedPath(seed: Seed): string {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) {
      throw new Error(`seed must be a finite number or a string, got ${String(seed)}`);
    }
    return escapeSegment(String(seed));
  }
  if (typeof seed === 'string') return escapeSegment(seed);
  throw new Error(`seed must be a finite number or a string, got ${typeof seed} ${JSON.stringify(seed)}`);
}

// Escapes the path separator (and the escape character), so "a/b" as one segment differs from "a" then "b".
function escapeSegment(segment: string): string {
  return segment.replace(/%/g, '%25').replace(/\//g, '%2F');
}

// cyrb128: four independent 32-bit hashes of the string, enough to seed sfc32's 128-bit state.
function hashToState(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 | 0, h2 | 0, h3 | 0, h4 | 0];
}
