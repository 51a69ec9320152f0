import { brokerNodeId, CONTROLLER_NODE_ID } from '../protocol/nodeIds.ts';
import { ZOOKEEPER_NODE_ID } from '../protocol/zookeeperMessages.ts';
import { CONSUMER_OFFSETS_TOPIC } from '../protocol/groupMessages.ts';
import { controllerDefaults } from '../../actors/controller/controllerDefaults.ts';
import { clientNodeId, type ClientRole } from './clientNodeId.ts';
import { defaultDurations, type DurationLengths } from './Scenario.ts';
import { MAX_BROKERS, MAX_PARTITIONS } from './scenarioSchema.ts';
import type { ScenarioView } from './ScenarioView.ts';

/** One client node: its id (given or by default), where it is declared, and whether the id was given. */
export interface ClientNode {
  id: string;
  role: ClientRole;
  index: number;
  explicit: boolean;
}

/** What the cross-field rules share: the view, and the facts several rules read, each undefined when unsound. */
export interface RuleContext {
  view: ScenarioView;
  brokers: number | undefined;
  /** The phases with their defaults; a phase the scenario sets wrongly is undefined. */
  durations: { [K in keyof DurationLengths]: number | undefined };
  /** The topics' names, or undefined when `topics` is not a list. */
  topicNames: ReadonlySet<string> | undefined;
  clients: readonly ClientNode[];
  /** The node ids faults and links may name. */
  knownNodes: ReadonlySet<string>;
  /**
   * What faults may name: the nodes, the roles `leader:`, `follower:`, `followers:`, `next-leader:<topic>-<p>` of every partition
   * (the `__consumer_offsets` ones included when the scenario has groups), and `coordinator:<groupId>` of every group.
   */
  faultTargets: ReadonlySet<string>;
}

/** Gathers the facts the rules share. */
export function ruleContext(view: ScenarioView): RuleContext {
  const brokers = view.sound<number>('brokers');
  const clients = [...clientNodes(view, 'producer'), ...clientNodes(view, 'reader'), ...clientNodes(view, 'consumer'), ...clientNodes(view, 'app')];
  // With the broker count wrong, names up to the largest cluster pass, so faults are still checked otherwise.
  const brokerIds = Array.from({ length: brokers ?? MAX_BROKERS }, (_, i) => brokerNodeId(i + 1));
  // In ZooKeeper mode `controller` names the broker elected when the fault applies, and `zookeeper` the server.
  const zookeeper = view.at(['kafka', 'metadata']) === 'zookeeper' ? [ZOOKEEPER_NODE_ID] : [];
  const knownNodes = new Set([CONTROLLER_NODE_ID, ...zookeeper, ...brokerIds, ...clients.map((client) => client.id)]);
  const roles = [...partitionKeys(view), ...offsetsPartitionKeys(view)].flatMap((key) => [`leader:${key}`, `follower:${key}`, `followers:${key}`, `next-leader:${key}`]);
  return {
    view,
    brokers,
    durations: resolvedDurations(view),
    topicNames: topicNames(view),
    clients,
    knownNodes,
    faultTargets: new Set([...knownNodes, ...roles, ...groupIds(view).map((groupId) => `coordinator:${groupId}`)]),
  };
}

// The `__consumer_offsets` partitions of a scenario with consumer groups (controller.offsetsTopicNumPartitions,
// Kafka's 50 by default), whose leaders are the group coordinators.
function offsetsPartitionKeys(view: ScenarioView): string[] {
  if (groupIds(view).length === 0) return [];
  const configured = view.at(['controller', 'offsetsTopicNumPartitions']);
  const count = Number.isInteger(configured) && (configured as number) >= 1 && (configured as number) <= MAX_PARTITIONS ? (configured as number) : controllerDefaults.offsetsTopicNumPartitions;
  return Array.from({ length: count }, (_, p) => `${CONSUMER_OFFSETS_TOPIC}-${p}`);
}

// Every `topic-partition` of the declared topics whose name and partition count are sound.
function partitionKeys(view: ScenarioView): string[] {
  const topics = view.at(['topics']);
  if (!Array.isArray(topics)) return [];
  return topics.flatMap((topic: { name?: unknown; partitions?: unknown } | null) => {
    const { name, partitions } = topic ?? {};
    if (typeof name !== 'string' || !Number.isInteger(partitions) || (partitions as number) < 1 || (partitions as number) > MAX_PARTITIONS) return [];
    return Array.from({ length: partitions as number }, (_, p) => `${name}-${p}`);
  });
}

// The group ids the consumers and the real client applications name (an app's `settings.groupId`).
function groupIds(view: ScenarioView): string[] {
  const ids: string[] = [];
  const consumers = view.at(['consumers']);
  const apps = view.at(['apps']);
  for (const consumer of Array.isArray(consumers) ? consumers : []) ids.push((consumer as { groupId?: unknown } | null)?.groupId as string);
  for (const app of Array.isArray(apps) ? apps : []) ids.push((app as { settings?: { groupId?: unknown } } | null)?.settings?.groupId as string);
  return [...new Set(ids.filter((id) => typeof id === 'string'))];
}

function resolvedDurations(view: ScenarioView): RuleContext['durations'] {
  const { quietEnds: _quietEnds, ...lengths } = defaultDurations;
  const durations: RuleContext['durations'] = { ...lengths };
  for (const key of Object.keys(lengths) as (keyof DurationLengths)[]) {
    if (view.at(['durations', key]) !== undefined) durations[key] = view.sound<number>('durations', key);
  }
  return durations;
}

function topicNames(view: ScenarioView): ReadonlySet<string> | undefined {
  const topics = view.at(['topics']);
  if (!Array.isArray(topics)) return undefined;
  return new Set(topics.flatMap((topic: { name?: unknown } | null) => (typeof topic?.name === 'string' ? [topic.name] : [])));
}

function clientNodes(view: ScenarioView, role: ClientRole): ClientNode[] {
  const specs = view.at([`${role}s`]);
  if (!Array.isArray(specs)) return [];
  return specs.flatMap((spec: { id?: unknown } | null, index): ClientNode[] => {
    const given = spec?.id;
    if (given !== undefined && typeof given !== 'string') return [];
    return [{ id: clientNodeId(role, spec ?? {}, index), role, index, explicit: given !== undefined }];
  });
}
