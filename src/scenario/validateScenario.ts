// Checks a scenario before it runs: its structure and types with a zod schema, then the rules that relate its
// fields to each other. Every issue is collected, so one ScenarioError lists all that is wrong.
import { appRules, consumerSettingsRules, durationRules, metadataModeRules, nodeIdRules, operationRules, producerSettingsRules, topicReferenceRules, topicRules, weakeningRules } from './clusterRules.ts';
import { faultRules, networkRules } from './faultRules.ts';
import { ruleContext, type RuleContext } from './RuleContext.ts';
import type { Scenario } from './Scenario.ts';
import { ScenarioError, type ScenarioIssue } from './ScenarioError.ts';
import { scenarioSchema } from './scenarioSchema.ts';
import { ScenarioView } from './ScenarioView.ts';
import { issuesFromZod } from './zodIssues.ts';

// In the order their issues are listed, after the schema's.
const crossFieldRules: ReadonlyArray<(context: RuleContext) => ScenarioIssue[]> = [
  metadataModeRules,
  topicRules,
  topicReferenceRules,
  operationRules,
  nodeIdRules,
  producerSettingsRules,
  consumerSettingsRules,
  appRules,
  durationRules,
  faultRules,
  networkRules,
  weakeningRules,
];

/** Checks `input` against the scenario contract; throws one ScenarioError that lists every issue found. */
export function validateScenario(input: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  const schemaIssues = parsed.error?.issues ?? [];
  const issues = issuesFromZod(schemaIssues);
  // Past a value that is not even an object there is nothing for the cross-field rules to read.
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const context = ruleContext(new ScenarioView(input as Record<string, unknown>, schemaIssues));
    for (const rule of crossFieldRules) issues.push(...rule(context));
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return parsed.data as Scenario;
}
