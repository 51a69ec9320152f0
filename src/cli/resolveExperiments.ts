// The experiments a command line names, checked against the light list of names before any experiment loads.
import { experimentNames } from '../experiments/experimentNames.ts';
import { ExperimentInputError } from './inputErrors.ts';

/** The experiments a command line names: one name, several, or `all`. */
export function resolveExperiments(names: readonly string[]): string[] {
  if (names.length === 0) throw new ExperimentInputError(`experiment needs a name: one of ${experimentNames.join(', ')}, or all`);
  if (names.length === 1 && names[0] === 'all') return [...experimentNames];
  for (const name of names) {
    if (!experimentNames.includes(name)) throw new ExperimentInputError(`unknown experiment "${name}"; experiments: ${experimentNames.join(', ')}, or all`);
  }
  return [...names];
}
