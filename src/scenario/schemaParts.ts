// The building blocks of the scenario schema. Each leaf schema carries its own message, worded as what is
// allowed ("an integer >= 1"), so a zod issue converts into a ScenarioIssue without rewording zod's text.
import { z } from 'zod';

/** An integer in [min, max] (safe integers only: NaN, Infinity and 1.5 are refused); `why` says why the bound. */
export function integer(min: number, max?: number, why?: string) {
  const allowed = (max === undefined ? `an integer >= ${min}` : `an integer between ${min} and ${max}`) + (why === undefined ? '' : ` (${why})`);
  const atLeast = z.int({ error: allowed }).min(min);
  return max === undefined ? atLeast : atLeast.max(max);
}

/** A finite number > 0, at most `max` when given (`why` says why the bound). */
export function positiveNumber(max?: number, why?: string) {
  const allowed = (max === undefined ? 'a number > 0' : `a number > 0 and at most ${max}`) + (why === undefined ? '' : ` (${why})`);
  const positive = z.number({ error: allowed }).positive();
  return max === undefined ? positive : positive.max(max);
}

/** An array of at most `max` items (`why` says why the bound); `error` says what the items are. */
export function boundedArray<T extends z.ZodType>(item: T, max: number, error: string, why: string) {
  return z.array(item, { error }).max(max, { error: `${error}, at most ${max} (${why})` });
}

/** true or false. */
export function boolean() {
  return z.boolean({ error: 'true or false' });
}

/** One of a few strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.map((v) => `'${v}'`).join(', ')}` });
}

/** Fields a section refuses on purpose, each with what to do instead. */
export type ExcludedFields = Readonly<Record<string, string>>;

const UNKNOWN_FIELDS = 'unknown-fields:';

/**
 * An object that refuses fields it does not declare. The issue for an unknown field must list the allowed
 * field names, which zod's `unrecognized_keys` issue does not carry, so the message carries them (as JSON)
 * and `unknownFieldsOf` reads them back.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T, excluded: ExcludedFields = {}) {
  const fields = Object.keys(shape);
  const known = JSON.stringify({ fields, excluded });
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${UNKNOWN_FIELDS}${known}` : `an object with the fields ${fields.join(', ')}`),
  });
}

/** The declared and excluded fields behind an `unrecognized_keys` message of `strictObject`. */
export function unknownFieldsOf(message: string): { fields: string[]; excluded: ExcludedFields } {
  if (!message.startsWith(UNKNOWN_FIELDS)) return { fields: [], excluded: {} };
  return JSON.parse(message.slice(UNKNOWN_FIELDS.length)) as { fields: string[]; excluded: ExcludedFields };
}
