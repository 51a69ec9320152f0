import fc from 'fast-check';

/**
 * `base`, with more ways to shrink. It generates exactly what `base` generates, from the same draws, so a seed
 * explores the same runs; when shrinking it first tries the smaller values `extra` proposes for the value (for
 * example, a fault pattern without one of its windows, or a workload without its first records), then `base`'s own
 * shrinks. A value `extra` proposed was not drawn, so `base` has no context for it: it is shrunk further by `extra`,
 * and by `base` only where `base` can shrink a value without context (integers, plain records of such).
 */
export function withExtraShrinks<T>(base: fc.Arbitrary<T>, extra: (value: T) => readonly T[]): fc.Arbitrary<T> {
  return new ExtraShrinks(base, extra, false);
}

/**
 * `base`, with shrinks tried only after all of `base`'s own: a way out of a local minimum. fast-check keeps the first
 * smaller value that still fails, so it stops where no single step of `base` keeps the failure (every window's
 * removal alone makes the run pass, say) even when a value several steps away would fail (two of the five windows,
 * without the other three). The values `last` proposes are tried there, and only there, since a failing
 * candidate earlier in the stream is taken first.
 */
export function withLastResortShrinks<T>(base: fc.Arbitrary<T>, last: (value: T) => readonly T[]): fc.Arbitrary<T> {
  return new ExtraShrinks(base, last, true);
}

/**
 * Each single element, then each pair, then each triple (in drawn order), for an array of more than three: the
 * smaller schedules a shrink that is stuck tries last (withLastResortShrinks). Nothing for three or fewer.
 */
export function smallSubsets<T>(elements: readonly T[]): T[][] {
  const n = elements.length;
  if (n <= 3) return [];
  const subsets: T[][] = [];
  for (let size = 1; size <= 3; size++) {
    const pick = (from: number, chosen: T[]): void => {
      if (chosen.length === size) {
        subsets.push(chosen);
        return;
      }
      for (let i = from; i < n; i++) pick(i + 1, [...chosen, elements[i] as T]);
    };
    pick(0, []);
  }
  return subsets;
}

interface ExtraContext {
  readonly base: unknown;
  /** True for a value `extra` proposed: only `extra` shrinks it. */
  readonly extraOnly: boolean;
}

class ExtraShrinks<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly base: fc.Arbitrary<T>,
    private readonly extra: (value: T) => readonly T[],
    private readonly extrasLast: boolean,
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    const drawn = this.base.generate(mrng, biasFactor);
    return new fc.Value(drawn.value_, { base: drawn.context, extraOnly: false } satisfies ExtraContext);
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return this.base.canShrinkWithoutContext(value);
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    const ctx = context as ExtraContext | undefined;
    const extras = fc.Stream.of(...this.extra(value).map((smaller) => new fc.Value(smaller, { base: undefined, extraOnly: true } satisfies ExtraContext)));
    if (ctx?.extraOnly === true && !this.base.canShrinkWithoutContext(value)) return extras;
    const own = this.base.shrink(value, ctx?.extraOnly === true ? undefined : ctx?.base).map((shrunk) => new fc.Value(shrunk.value_, { base: shrunk.context, extraOnly: false } satisfies ExtraContext));
    return this.extrasLast ? own.join(extras) : extras.join(own);
  }
}
