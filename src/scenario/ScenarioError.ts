import { describeValue } from '../kernel/argumentError.ts';

/** One thing wrong with a scenario: where (`producers[1].workload.ratePerSec`), the value found, what is allowed. */
export interface ScenarioIssue {
  path: string;
  value: unknown;
  allowed: string;
}

/**
 * A scenario that cannot run. It carries every issue found, not just the first, so one edit of the scenario
 * file can fix them all. One issue is one line (`invalid scenario: brokers: got 0, allowed: an integer between 1
 * and 50`); several are listed one per line under a count.
 */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(readonly issues: readonly ScenarioIssue[]) {
    super(
      issues.length === 1
        ? `invalid scenario: ${describeIssue(issues[0] as ScenarioIssue)}`
        : `Invalid scenario (${issues.length} issues):\n${issues.map((issue) => `  ${describeIssue(issue)}`).join('\n')}`,
    );
  }
}

/** One issue as one line: `path: got value, allowed: what`. Values are shown as JSON, long ones truncated. */
export function describeIssue(issue: ScenarioIssue): string {
  return `${issue.path}: got ${describeValue(issue.value)}, allowed: ${issue.allowed}`;
}

/** A path as a scenario file's reader would write it: `['producers', 1, 'workload']` is `producers[1].workload`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? 'scenario' : text;
}
