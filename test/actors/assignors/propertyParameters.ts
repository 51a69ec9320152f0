import type { Parameters } from 'fast-check';

/**
 * fast-check parameters for the assignor properties: `KAFKA_SIM_RUNS` runs (100 by default), and a fixed seed
 * when `KAFKA_SIM_SEED` is set so a failure printed as `{ seed, path }` replays exactly.
 */
export function propertyParameters<T>(): Parameters<T> {
  const seed = process.env.KAFKA_SIM_SEED;
  return {
    numRuns: Number(process.env.KAFKA_SIM_RUNS ?? 100),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
  };
}

/**
 * Parameters for checking that a weakened assignor breaks a property: more runs and a fixed seed (unless
 * `KAFKA_SIM_SEED` is set), because a weakening has to be caught on every run, not by luck.
 */
export function weakeningParameters<T>(): Parameters<T> {
  const seed = process.env.KAFKA_SIM_SEED;
  return {
    numRuns: Math.max(200, Number(process.env.KAFKA_SIM_RUNS ?? 100)),
    seed: seed === undefined ? 20_240_429 : Number(seed),
  };
}
