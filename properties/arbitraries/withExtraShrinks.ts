import fc from 'fast-check';

/**
 * `base`, with more ways to shrink. It generates exactly what `base` generates, from the same draws, so a seed
 * explores the same runs; when shrinking it first tries the smaller values `extra` proposes for the value (for
 * example, a fault pattern without one of its windows, or a workload without its first records), then `base`'s own
 * shrinks. A value `extra` proposed was not drawn, so `base` has no context for it: it is shrunk further by `extra`,
 * and by `base` only where `base` can shrink a value without context (integers, plain records of such).
 */
export function withExtraShrinks<T>(base: fc.Arbitrary<T>, extra: (value: T) => readonly T[]): fc.Arbitrary<T> {
  return new ExtraShrinks(base, extra);
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
    return extras.join(own);
  }
}
