import type { z } from 'zod';

/**
 * The scenario as the cross-field rules see it after the schema ran: the raw input, and which parts of it the
 * schema found sound. A rule reads only sound parts, so one wrong field is reported once, by the schema, and
 * not again as a consequence by every rule that reads it; the rest of the scenario is still checked.
 */
export class ScenarioView {
  constructor(
    private readonly raw: Readonly<Record<string, unknown>>,
    private readonly schemaIssues: readonly z.core.$ZodIssue[],
  ) {}

  /** The value at `path`, or undefined when it is missing or the schema found something wrong in or above it. */
  sound<T>(...path: PropertyKey[]): T | undefined {
    return this.isSound(path) ? (this.at(path) as T | undefined) : undefined;
  }

  /** The indices of the array field `key` (none when it is not an array), to read its elements' fields by `sound`. */
  indices(key: string): number[] {
    const items = this.at([key]);
    return Array.isArray(items) ? items.map((_, index) => index) : [];
  }

  /** The value at `path` whatever the schema said of it (undefined when a step of the path is not an object). */
  at(path: readonly PropertyKey[]): unknown {
    let value: unknown = this.raw;
    for (const segment of path) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<PropertyKey, unknown>)[segment];
    }
    return value;
  }

  // Sound: no issue inside the value, and none above it that means the value is not there. An unknown field
  // beside the value or in it does not make it unsound.
  private isSound(path: readonly PropertyKey[]): boolean {
    return this.schemaIssues.every((issue) => {
      if (issue.code === 'unrecognized_keys' && startsWith(path, issue.path)) return true;
      return !startsWith(issue.path, path) && !startsWith(path, issue.path);
    });
  }
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}
