// Reading a scenario file for `run`: apart from running it, so that a bad file is refused before the simulation's
// modules load.
import { defaultScenario } from '../scenario/defaultScenario.ts';
import { kafkaSpecOf, type KafkaProfileName } from '../scenario/kafkaProfile.ts';
import { resolveScenario, type ResolvedScenario } from '../scenario/resolveScenario.ts';
import type { Scenario } from '../scenario/Scenario.ts';
import { ScenarioError } from '../scenario/ScenarioError.ts';
import { ScenarioInputError } from './inputErrors.ts';
import { readJsonInput } from './jsonDepth.ts';

/** Reads a scenario file (or takes the default), applies a --seed override, and checks it. */
export function loadScenario(file: string | undefined, seed: number | string | undefined, kafkaVersion?: KafkaProfileName): ResolvedScenario {
  let scenario: Scenario = defaultScenario;
  if (file !== undefined) {
    scenario = readJsonInput(file, 'scenario', (message) => new ScenarioInputError(message)) as Scenario;
  }
  try {
    const overridden = { ...scenario, ...(seed === undefined ? {} : { seed }), ...(kafkaVersion === undefined ? {} : { kafka: kafkaSpecOf(kafkaVersion) }) };
    return resolveScenario(overridden);
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioInputError(`${file ?? 'the default scenario'}: ${err.message}`);
    throw err;
  }
}
