// Cross-field rules on the faults and the network: they name nodes of this scenario, and faults fall inside the
// safety phase. The checks of each fault and link setting are the World's own (validateFault, compilePartition,
// validateLinkOverride), so a scenario that passes here is one `world.schedule` accepts.
import { faultKinds, validateFault, validateLinkOverride } from '../faults/Fault.ts';
import { ArgumentError } from '../kernel/argumentError.ts';
import { compilePartition, type PartitionSpec } from '../kernel/partitions.ts';
import type { RuleContext } from './RuleContext.ts';
import type { ScenarioIssue } from './ScenarioError.ts';
import { closestName } from './zodIssues.ts';

// The fields each kind of fault has; validateFault does not refuse others, so a typo would pass silently.
const nodeFault = ['atMs', 'kind', 'node'];
const faultFields: Readonly<Record<(typeof faultKinds)[number], readonly string[]>> = {
  crash: nodeFault,
  powerLoss: nodeFault,
  shutdown: nodeFault,
  restart: nodeFault,
  pause: nodeFault,
  resume: nodeFault,
  partition: ['atMs', 'kind', 'groups', 'oneWay', 'isolate', 'majoritiesRing'],
  heal: ['atMs', 'kind'],
  link: ['atMs', 'kind', 'from', 'to', 'bidirectional', 'set', 'reset'],
};

/** Each fault is well formed, names nodes or partition roles of this scenario and falls within [0, safetyMs). */
export function faultRules({ view, faultTargets, durations }: RuleContext): ScenarioIssue[] {
  return view.indices('faults').flatMap((index): ScenarioIssue[] => {
    const where = `faults[${index}]`;
    const fault = view.sound<Record<string, unknown>>('faults', index);
    if (fault === undefined) return [];
    const unknownFields = unknownFaultFields(where, fault);
    if (unknownFields.length > 0) return unknownFields;
    const misplaced = misplacedNextLeader(where, fault);
    if (misplaced !== undefined) return [misplaced];
    const issue =
      argumentIssue(() => validateFault(where, fault, faultTargets, 0)) ??
      (fault.kind === 'partition' ? argumentIssue(() => compilePartition(where, fault as unknown as PartitionSpec, faultTargets)) : undefined);
    if (issue !== undefined) return [issue];
    const { safetyMs } = durations;
    if (safetyMs !== undefined && (fault.atMs as number) >= safetyMs) {
      return [{ path: `${where}.atMs`, value: fault.atMs, allowed: `a time >= 0 and below durations.safetyMs (${safetyMs})` }];
    }
    return [];
  });
}

// `next-leader:` is a moment, not a node: only a crash, power loss, shutdown or pause (and its closing restart or
// resume) may wait for it; a partition or a link needs its nodes when it applies.
function misplacedNextLeader(where: string, fault: Record<string, unknown>): ScenarioIssue | undefined {
  if (fault.kind !== 'partition' && fault.kind !== 'link') return undefined;
  const fields = fault.kind === 'link' ? ['from', 'to'] : ['groups', 'oneWay', 'isolate', 'majoritiesRing'];
  for (const field of fields) {
    if (JSON.stringify(fault[field] ?? null).includes('"next-leader:')) {
      return {
        path: `${where}.${field}`,
        value: fault[field],
        allowed: 'nodes or the roles leader:, follower:, followers:, coordinator: (next-leader: is only for crash, powerLoss, shutdown, pause, restart and resume)',
      };
    }
  }
  return undefined;
}

/** The network's default and per-link settings are valid link settings, and links join nodes of this scenario. */
export function networkRules({ view, knownNodes }: RuleContext): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const defaults = view.sound<Record<string, unknown>>('network', 'defaults');
  const defaultsIssue = defaults === undefined ? undefined : argumentIssue(() => validateLinkOverride('network.defaults', defaults));
  if (defaultsIssue !== undefined) issues.push(defaultsIssue);
  const links = view.at(['network', 'links']);
  (Array.isArray(links) ? links : []).forEach((_, index) => {
    const link = view.sound<Record<string, unknown>>('network', 'links', index);
    if (link === undefined) return;
    const { from, to, ...settings } = link;
    const where = `network.links[${index}]`;
    const allowed = `a node id of this scenario (${[...knownNodes].join(', ')})`;
    if (!knownNodes.has(from as string)) issues.push({ path: `${where}.from`, value: from, allowed });
    if (!knownNodes.has(to as string)) issues.push({ path: `${where}.to`, value: to, allowed });
    const issue = argumentIssue(() => validateLinkOverride(where, settings));
    if (issue !== undefined) issues.push(issue);
  });
  return issues;
}

function unknownFaultFields(where: string, fault: Record<string, unknown>): ScenarioIssue[] {
  const fields = faultFields[fault.kind as keyof typeof faultFields];
  if (fields === undefined) return [];
  return Object.keys(fault)
    .filter((field) => !fields.includes(field))
    .map((field) => {
      const guess = closestName(field, fields);
      const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
      return { path: `${where}.${field}`, value: fault[field], allowed: `no field of that name${hint}; the fields of a ${String(fault.kind)} fault are ${fields.join(', ')}` };
    });
}

// The World's checks throw an ArgumentError naming `where`, the argument, the value and what is allowed.
function argumentIssue(check: () => unknown): ScenarioIssue | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    return { path: argumentPath(error.where, error.argument), value: error.value, allowed: error.allowed };
  }
}

// `fault` and `partition` name the fault itself, not a field of it: `partition.groups[0]` is the field `groups[0]`.
function argumentPath(where: string, argument: string): string {
  const field = argument.replace(/^(fault|partition)(\.|$)/, '');
  return field === '' ? where : `${where}.${field}`;
}
