// The properties and weakening a `check` names, checked before the checkers and the simulation load.
import { groupPropertyNames, replicationPropertyNames } from '../../properties/replicationProperties.ts';
import { weakeningNames, weakenings, type PropertyName, type WeakeningName } from '../scenario/weakenings.ts';
import { CheckInputError } from './inputErrors.ts';

/** Every property `check` knows, in report order. */
export const checkablePropertyNames: readonly PropertyName[] = [...replicationPropertyNames, ...groupPropertyNames];

/** The properties and weakening a `check` invocation names, checked. */
export function resolveCheck(property: string | undefined, weaken: string | undefined): { properties: PropertyName[]; weakening: WeakeningName | null } {
  if (weaken !== undefined && !(weakeningNames as readonly string[]).includes(weaken)) {
    throw new CheckInputError(`--weaken: got ${JSON.stringify(weaken)}, allowed: one of ${weakeningNames.join(', ')}`);
  }
  const weakening = (weaken ?? null) as WeakeningName | null;
  if (property === undefined) return { properties: weakening === null ? [...checkablePropertyNames] : [weakenings[weakening].breaks], weakening };
  if (property === 'all') return { properties: [...checkablePropertyNames], weakening };
  if (!(checkablePropertyNames as readonly string[]).includes(property)) {
    throw new CheckInputError(`--property: got ${JSON.stringify(property)}, allowed: all, or one of ${checkablePropertyNames.join(', ')}`);
  }
  return { properties: [property as PropertyName], weakening };
}
