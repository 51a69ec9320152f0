/**
 * How many runs each property test makes: `KAFKA_SIM_RUNS` if set (a positive integer), else the CI-sized
 * default the test passes. Larger sweeps go through the CLI.
 */
export function propertyRuns(ciDefault: number): number {
  const raw = process.env.KAFKA_SIM_RUNS;
  if (raw === undefined || raw === '') return ciDefault;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`KAFKA_SIM_RUNS must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return runs;
}
