import { builtinApps, isBuiltinApp } from '../realclients/builtinApps.ts';
// Cross-field rules on the cluster, its topics and its clients: what the schema cannot see one field at a time.
import { consumerDefaults, resolveConsumerConfig, type ConsumerSettings } from '../../actors/consumer/consumerDefaults.ts';
import { consumerClientDefaults } from '../../actors/consumer/ConsumerState.ts';
import { ConfigException, resolveProducerConfig } from '../../actors/producer/producerConfig.ts';
import { ArgumentError } from '../kernel/argumentError.ts';
import { producerDefaults, type ProducerSettings } from '../../actors/producer/producerDefaults.ts';
import { WORLD_NODE_ID } from '../kernel/World.ts';
import { brokerIdOf, CONTROLLER_NODE_ID } from '../protocol/nodeIds.ts';
import type { RuleContext } from './RuleContext.ts';
import { formatPath, type ScenarioIssue } from './ScenarioError.ts';

/** ZooKeeper mode exists up to Kafka 3.9 (4.0 removed it). */
export function metadataModeRules({ view }: RuleContext): ScenarioIssue[] {
  if (view.sound<string>('kafka', 'metadata') !== 'zookeeper') return [];
  const issues: ScenarioIssue[] = [];
  const version = view.sound<string>('kafka', 'version');
  if (version !== undefined && version !== '3.9') issues.push({ path: 'kafka.version', value: version, allowed: "'3.9' with metadata 'zookeeper' (Kafka 4.0 removed ZooKeeper mode)" });
  return issues;
}

/** Topic names are unique; replication factors fit the cluster; min.insync.replicas fits the replication factor. */
export function topicRules({ view, brokers }: RuleContext): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const firstIndex = new Map<string, number>();
  const topics = view.at(['topics']);
  (Array.isArray(topics) ? topics : []).forEach((topic: { name?: unknown } | null, index) => {
    const name = topic?.name;
    if (typeof name !== 'string') return;
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, index);
    else issues.push({ path: `topics[${index}].name`, value: name, allowed: `a name no other topic has (topics[${first}] is ${JSON.stringify(name)})` });
  });
  for (const index of view.indices('topics')) {
    const replicationFactor = view.sound<number>('topics', index, 'replicationFactor');
    const minInsyncReplicas = view.sound<number>('topics', index, 'minInsyncReplicas');
    if (brokers !== undefined && replicationFactor !== undefined && replicationFactor > brokers) {
      const allowed = `an integer between 1 and the number of brokers (${brokers})`;
      issues.push({ path: `topics[${index}].replicationFactor`, value: replicationFactor, allowed });
    }
    if (replicationFactor !== undefined && minInsyncReplicas !== undefined && minInsyncReplicas > replicationFactor) {
      const allowed = `an integer between 1 and the topic's replicationFactor (${replicationFactor})`;
      issues.push({ path: `topics[${index}].minInsyncReplicas`, value: minInsyncReplicas, allowed });
    }
  }
  return issues;
}

/** Every topic a producer writes or a reader reads is declared. */
export function topicReferenceRules({ view, topicNames }: RuleContext): ScenarioIssue[] {
  if (topicNames === undefined) return [];
  const allowed = `a declared topic (${[...topicNames].join(', ') || 'none declared'})`;
  const undeclared = (path: PropertyKey[]): ScenarioIssue[] => {
    const name = view.sound<string>(...path);
    return name !== undefined && !topicNames.has(name) ? [{ path: formatPath(path), value: name, allowed }] : [];
  };
  return [
    ...view.indices('producers').flatMap((index) => undeclared(['producers', index, 'workload', 'topic'])),
    ...(['readers', 'consumers'] as const).flatMap((role) =>
      view.indices(role).flatMap((index) => {
        const topics = view.at([role, index, 'topics']);
        return Array.isArray(topics) ? topics.flatMap((_, t) => undeclared([role, index, 'topics', t])) : [];
      }),
    ),
  ];
}

/**
 * An operation names a declared topic, falls inside the safety phase, and grows the topic: each createPartitions
 * asks for more partitions than the topic has by then.
 */
export function operationRules({ view, durations }: RuleContext): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const counts = new Map<string, number>();
  for (const index of view.indices('topics')) {
    const name = view.sound<string>('topics', index, 'name');
    const partitions = view.sound<number>('topics', index, 'partitions');
    if (name !== undefined && partitions !== undefined) counts.set(name, partitions);
  }
  const operations = view.indices('operations').map((index) => ({ index, atMs: view.sound<number>('operations', index, 'atMs') ?? 0 }));
  for (const { index, atMs } of operations.sort((a, b) => a.atMs - b.atMs)) {
    const { safetyMs } = durations;
    if (safetyMs !== undefined && atMs >= safetyMs) {
      issues.push({ path: `operations[${index}].atMs`, value: atMs, allowed: `an integer >= 0 and below durations.safetyMs (${safetyMs})` });
    }
    const topic = view.sound<string>('operations', index, 'topic');
    const totalCount = view.sound<number>('operations', index, 'totalCount');
    if (topic === undefined || totalCount === undefined) continue;
    const current = counts.get(topic);
    if (current === undefined) {
      issues.push({ path: `operations[${index}].topic`, value: topic, allowed: `a declared topic (${[...counts.keys()].join(', ') || 'none declared'})` });
    } else if (totalCount <= current) {
      issues.push({ path: `operations[${index}].totalCount`, value: totalCount, allowed: `more than the ${current} partitions ${topic} has by then` });
    } else {
      counts.set(topic, totalCount);
    }
  }
  return issues;
}

/** Node ids are unique and leave the cluster's own names (controller, broker-N, world) alone. */
export function nodeIdRules({ clients }: RuleContext): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const taken = new Map<string, (typeof clients)[number]>();
  for (const client of clients) {
    const where = `${client.role}s[${client.index}]`;
    if (client.explicit && (client.id === CONTROLLER_NODE_ID || client.id === WORLD_NODE_ID || brokerIdOf(client.id) !== undefined)) {
      issues.push({ path: `${where}.id`, value: client.id, allowed: 'an id other than controller, world and broker-<n> (the cluster\'s own names)' });
      continue;
    }
    const other = taken.get(client.id);
    if (other === undefined) {
      taken.set(client.id, client);
      continue;
    }
    // Blame the id someone wrote: two default ids never clash, so one of the two was given.
    const [blamed, holder] = client.explicit ? [client, other] : [other, client];
    const holderWhere = `${holder.role}s[${holder.index}]`;
    const how = holder.explicit ? 'has it' : 'has it by default';
    issues.push({ path: `${blamed.role}s[${blamed.index}].id`, value: client.id, allowed: `an id no other node has (${holderWhere} ${how})` });
  }
  return issues;
}

/** A producer's settings pass the Java client's own checks (resolveProducerConfig), alone and together. */
export function producerSettingsRules({ view }: RuleContext): ScenarioIssue[] {
  return view.indices('producers').flatMap((index): ScenarioIssue[] => {
    const settings = view.sound<Record<string, unknown>>('producers', index, 'settings');
    if (settings === undefined) return [];
    // Unknown names are the schema's issue already; the values of the known ones are checked here.
    const known = Object.fromEntries(Object.entries(settings).filter(([name]) => Object.hasOwn(producerDefaults, name)));
    try {
      resolveProducerConfig(known as Partial<ProducerSettings>);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigException)) throw error;
      const setting = Object.hasOwn(producerDefaults, error.setting) ? `.${error.setting}` : '';
      return [{ path: `producers[${index}].settings${setting}`, value: error.value, allowed: error.allowed.replace(/^must be /, '') }];
    }
  });
}

const atLeastOne = new Set(['requestTimeoutMs', 'pollTimeoutMs', 'fetchMaxBytes', 'maxPartitionFetchBytes']);

/** A group consumer's settings pass the Java client's own checks (resolveConsumerConfig), alone and together. */
export function consumerSettingsRules({ view }: RuleContext): ScenarioIssue[] {
  return view.indices('consumers').flatMap((index): ScenarioIssue[] => {
    const settings = view.sound<Record<string, unknown>>('consumers', index, 'settings');
    if (settings === undefined) return [];
    const issues: ScenarioIssue[] = [];
    for (const name of Object.keys(consumerClientDefaults)) {
      const value = settings[name];
      // A poll timeout of 0 would poll in a loop without virtual time moving; a byte limit of 0 fetches nothing.
      const min = atLeastOne.has(name) ? 1 : 0;
      if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min)) {
        issues.push({ path: `consumers[${index}].settings.${name}`, value, allowed: `an integer >= ${min}` });
      }
    }
    const known = Object.fromEntries(Object.entries(settings).filter(([name]) => Object.hasOwn(consumerDefaults, name)));
    try {
      resolveConsumerConfig(known as Partial<ConsumerSettings>);
    } catch (error) {
      if (!(error instanceof ArgumentError)) throw error;
      const name = error.argument.split(' ')[0] ?? '';
      issues.push({ path: `consumers[${index}].settings.${name}`, value: error.value, allowed: error.allowed });
    }
    return issues;
  });
}

/** The phases fit together: the workload and every producer's start fall inside the safety phase. */
export function durationRules({ view, durations }: RuleContext): ScenarioIssue[] {
  const { startupMs, safetyMs } = durations;
  if (safetyMs === undefined) return [];
  const issues: ScenarioIssue[] = [];
  if (startupMs !== undefined && startupMs >= safetyMs) {
    issues.push(
      view.at(['durations', 'startupMs']) !== undefined
        ? { path: 'durations.startupMs', value: startupMs, allowed: `an integer below durations.safetyMs (${safetyMs})` }
        : { path: 'durations.safetyMs', value: safetyMs, allowed: `an integer above durations.startupMs (${startupMs})` },
    );
  }
  for (const index of view.indices('consumers')) {
    const startMs = view.sound<number>('consumers', index, 'startMs');
    const stopMs = view.sound<number>('consumers', index, 'stopMs');
    if (startMs !== undefined && startMs >= safetyMs) {
      issues.push({ path: `consumers[${index}].startMs`, value: startMs, allowed: `an integer >= 0 and below durations.safetyMs (${safetyMs})` });
    }
    const from = startMs ?? durations.startupMs ?? 0;
    if (stopMs !== undefined && (stopMs <= from || stopMs > safetyMs)) {
      issues.push({ path: `consumers[${index}].stopMs`, value: stopMs, allowed: `an integer after the consumer's start (${from}) and at most durations.safetyMs (${safetyMs})` });
    }
  }
  for (const index of view.indices('producers')) {
    const startMs = view.sound<number>('producers', index, 'workload', 'startMs');
    if (startMs !== undefined && startMs >= safetyMs) {
      issues.push({ path: `producers[${index}].workload.startMs`, value: startMs, allowed: `an integer >= 0 and below durations.safetyMs (${safetyMs})` });
    }
  }
  return issues;
}

/** A weakening is listed once. */
export function weakeningRules({ view }: RuleContext): ScenarioIssue[] {
  const first = new Map<string, number>();
  return view.indices('weakenings').flatMap((index): ScenarioIssue[] => {
    const item = view.sound<string>('weakenings', index);
    if (item === undefined) return [];
    const earlier = first.get(item);
    if (earlier === undefined) {
      first.set(item, index);
      return [];
    }
    return [{ path: `weakenings[${index}]`, value: item, allowed: `a weakening not listed already (weakenings[${earlier}])` }];
  });
}

/**
 * Each real client application names a built-in with sound settings and known topics, or a module to load (a path
 * to a .js, .mjs or .ts file; that it loads is checked when the run starts).
 */
export function appRules({ view, topicNames }: RuleContext): ScenarioIssue[] {
  return view.indices('apps').flatMap((index): ScenarioIssue[] => {
    const app = view.sound<string>('apps', index, 'app');
    if (app === undefined) return [];
    const path = `apps[${index}]`;
    if (!isBuiltinApp(app)) {
      if (/\.(m?js|ts)$/.test(app)) return [];
      return [{ path: `${path}.app`, value: app, allowed: `a built-in application (${Object.keys(builtinApps).join(', ')}) or the path of a .js, .mjs or .ts module` }];
    }
    const parsed = builtinApps[app].settings.safeParse(view.at(['apps', index, 'settings']) ?? {});
    if (!parsed.success) {
      return parsed.error.issues.map((issue) => ({
        path: [`${path}.settings`, ...issue.path.map(String)].join('.'),
        value: issue.path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key], view.at(['apps', index, 'settings'])),
        allowed: issue.message,
      }));
    }
    const topics = 'topic' in parsed.data ? [parsed.data.topic] : parsed.data.topics;
    return topics.flatMap((topic, i) =>
      topicNames === undefined || topicNames.has(topic)
        ? []
        : [{ path: 'topic' in parsed.data ? `${path}.settings.topic` : `${path}.settings.topics[${i}]`, value: topic, allowed: `a declared topic (${[...topicNames].join(', ')})` }],
    );
  });
}
