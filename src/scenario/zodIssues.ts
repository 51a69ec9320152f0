import type { z } from 'zod';
import { formatPath, type ScenarioIssue } from './ScenarioError.ts';
import { unknownFieldsOf } from './schemaParts.ts';

/** Scenario issues for zod's issues: one per unknown field, the others one for one. Needs `reportInput: true`. */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[]): ScenarioIssue[] {
  return issues.flatMap((issue): ScenarioIssue[] => {
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        value: (input as Record<string, unknown> | undefined)?.[key],
        allowed: unknownFieldAllowed(key, formatPath(issue.path), issue.message),
      }));
    }
    // A discriminated union reports a bad `kind` at the kind's path with the whole object as input.
    const discriminator = (issue as { discriminator?: string }).discriminator;
    const value = discriminator !== undefined && isRecord(input) ? input[discriminator] : input;
    return [{ path: formatPath(issue.path), value, allowed: issue.message }];
  });
}

function unknownFieldAllowed(key: string, where: string, message: string): string {
  const { fields, excluded } = unknownFieldsOf(message);
  const instead = excluded[key];
  if (instead !== undefined) return `left out: ${instead}`;
  const guess = closestName(key, fields);
  const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
  return `no field of that name${hint}; the fields of ${where} are ${fields.join(', ')}`;
}

/** The declared name a typo most likely meant, if one is close enough. */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

// Levenshtein distance, one row at a time.
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
