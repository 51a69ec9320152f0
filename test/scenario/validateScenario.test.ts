// Longer than most test files: one table row per validation rule, each breaking the rule alone.
import { describe, expect, it } from 'vitest';
import {
  defaultDurations,
  resolveScenario,
  ScenarioError,
  validateScenario,
  type Scenario,
  type ScenarioIssue,
} from '../../src/scenario/index.ts';

/** The smallest useful run: three brokers, one topic, one producer, one reader. */
function minimalScenario(): Scenario {
  return {
    seed: 7,
    brokers: 3,
    topics: [{ name: 'orders', partitions: 3, replicationFactor: 3 }],
    producers: [{ workload: { topic: 'orders', records: 100, ratePerSec: 50, keys: { kind: 'keyspace', size: 10 } } }],
    readers: [{ topics: ['orders'] }],
  };
}

/** A scenario that sets every optional field, each to a valid value. */
function fullScenario(): Scenario {
  return {
    seed: 'full',
    brokers: 3,
    topics: [
      { name: 'orders', partitions: 3, replicationFactor: 3, minInsyncReplicas: 2 },
      { name: 'audit.log_v2', partitions: 1, replicationFactor: 1 },
    ],
    producers: [
      {
        id: 'checkout',
        settings: { acks: 'all', lingerMs: 5, retries: 10, maxInFlightRequestsPerConnection: 5, partitioner: 'sticky' },
        workload: { topic: 'orders', records: 500, ratePerSec: 100, keys: { kind: 'null' }, startMs: 6_000 },
      },
      {
        settings: { acks: 1, enableIdempotence: false },
        workload: { topic: 'audit.log_v2', records: 10, ratePerSec: 0.5, keys: { kind: 'explicit-partition' } },
      },
    ],
    readers: [{ id: 'auditor', topics: ['orders', 'audit.log_v2'], settings: { maxPollRecords: 100, pollTimeoutMs: 500 } }],
    broker: { replicaLagTimeMaxMs: 10_000, minInsyncReplicas: 2, flushIntervalMs: 1_000, freezeHighWatermarkBelowMinIsr: false },
    controller: { brokerSessionTimeoutMs: 6_000, uncleanLeaderElectionEnable: false, replicaPlacer: 'rackUnaware' },
    network: {
      defaults: { latency: { kind: 'exponential', meanMs: 3, minMs: 1 }, dropProbability: 0.01 },
      links: [{ from: 'broker-1', to: 'checkout', reorderProbability: 0.1 }],
    },
    faults: [
      { atMs: 8_000, kind: 'crash', node: 'broker-2' },
      { atMs: 9_000, kind: 'restart', node: 'broker-2' },
      { atMs: 10_000, kind: 'pause', node: 'checkout' },
      { atMs: 10_500, kind: 'resume', node: 'checkout' },
      { atMs: 11_000, kind: 'partition', groups: [['broker-1', 'controller'], ['broker-2', 'broker-3']] },
      { atMs: 12_000, kind: 'partition', isolate: 'broker-3' },
      { atMs: 12_500, kind: 'partition', oneWay: { from: ['broker-1'], to: ['auditor'] } },
      { atMs: 13_000, kind: 'heal' },
      { atMs: 14_000, kind: 'link', from: 'broker-1', to: 'broker-2', bidirectional: true, set: { dropProbability: 0.5 } },
      { atMs: 15_000, kind: 'link', from: 'broker-1', to: 'broker-2', reset: true },
      { atMs: 16_000, kind: 'powerLoss', node: 'producer-2' },
    ],
    weakenings: ['acks-1', 'truncate-to-high-watermark'],
    durations: { startupMs: 4_000, safetyMs: 20_000 },
    invariantSampleMs: 250,
  };
}

/** The scenario after `change`, on a fresh copy. */
function changed(change: (scenario: any) => void, base: Scenario = minimalScenario()): unknown {
  const scenario = structuredClone(base);
  change(scenario);
  return scenario;
}

function errorOf(input: unknown): ScenarioError {
  try {
    validateScenario(input);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioError, the scenario was accepted');
}

/** The one line an issue gets in the message. */
const line = (issue: ScenarioIssue) => expect.stringContaining(`${issue.path}: got `);

describe('validateScenario', () => {
  it('accepts a minimal scenario and returns it unchanged', () => {
    const scenario = minimalScenario();
    expect(validateScenario(scenario)).toEqual(scenario);
  });

  it('accepts a scenario that sets every optional field', () => {
    const scenario = fullScenario();
    expect(validateScenario(scenario)).toEqual(scenario);
  });

  it('reports a ratePerSec that is not positive with its path, its value and what is allowed', () => {
    const error = errorOf(changed((s) => (s.producers = [s.producers[0], { ...s.producers[0], workload: { ...s.producers[0].workload, ratePerSec: -5 } }])));
    const allowed = 'a number > 0 and at most 1000000 (records per virtual second, each simulated as messages)';
    expect(error.issues).toEqual([{ path: 'producers[1].workload.ratePerSec', value: -5, allowed }]);
    expect(error.message).toBe(`invalid scenario: producers[1].workload.ratePerSec: got -5, allowed: ${allowed}`);
    expect(error.message).toEqual(line(error.issues[0] as ScenarioIssue));
  });

  // Each rule, broken alone: the only issue, with its path, the value and what is allowed (or part of it).
  const broken: Array<[string, (scenario: any) => void, string, unknown, string]> = [
    ['seed NaN', (s) => (s.seed = NaN), 'seed', NaN, 'a finite number or a string'],
    ['seed Infinity', (s) => (s.seed = Infinity), 'seed', Infinity, 'a finite number or a string'],
    ['no brokers', (s) => (s.brokers = 0), 'brokers', 0, 'an integer between 1 and 50'],
    ['too many brokers', (s) => (s.brokers = 51), 'brokers', 51, 'an integer between 1 and 50'],
    ['a fractional broker count', (s) => (s.brokers = 2.5), 'brokers', 2.5, 'an integer between 1 and 50'],
    ['a broker count as a string', (s) => (s.brokers = '3'), 'brokers', '3', 'an integer between 1 and 50'],
    ['a missing topics list', (s) => delete s.topics, 'topics', undefined, 'an array of'],
    ['no partitions', (s) => (s.topics[0].partitions = 0), 'topics[0].partitions', 0, 'an integer between 1 and 10000'],
    ['NaN partitions', (s) => (s.topics[0].partitions = NaN), 'topics[0].partitions', NaN, 'an integer between 1 and 10000'],
    ['too many partitions', (s) => (s.topics[0].partitions = 10_001), 'topics[0].partitions', 10_001, 'an integer between 1 and 10000 (the simulator holds every replica'],
    ['an empty topic name', (s) => s.topics.push({ name: '', partitions: 1, replicationFactor: 1 }), 'topics[1].name', '', 'a Kafka topic name'],
    ['a topic name Kafka refuses', (s) => s.topics.push({ name: 'or/ders', partitions: 1, replicationFactor: 1 }), 'topics[1].name', 'or/ders', 'a Kafka topic name'],
    ['a duplicate topic', (s) => s.topics.push({ ...s.topics[0], partitions: 1 }), 'topics[1].name', 'orders', 'a name no other topic has (topics[0] is "orders")'],
    ['a replication factor above the broker count', (s) => (s.topics[0].replicationFactor = 4), 'topics[0].replicationFactor', 4, 'an integer between 1 and the number of brokers (3)'],
    ['a replication factor of 0', (s) => (s.topics[0].replicationFactor = 0), 'topics[0].replicationFactor', 0, 'an integer between 1 and 50'],
    ['min.insync.replicas above the replication factor', (s) => (s.topics[0].minInsyncReplicas = 4), 'topics[0].minInsyncReplicas', 4, "an integer between 1 and the topic's replicationFactor (3)"],
    ['min.insync.replicas of 0', (s) => (s.topics[0].minInsyncReplicas = 0), 'topics[0].minInsyncReplicas', 0, 'an integer between 1 and 50'],
    ['a producer writing to an undeclared topic', (s) => (s.producers[0].workload.topic = 'ordres'), 'producers[0].workload.topic', 'ordres', 'a declared topic (orders)'],
    ['a reader reading an undeclared topic', (s) => s.readers[0].topics.push('payments'), 'readers[0].topics[1]', 'payments', 'a declared topic (orders)'],
    ['a reader with no topics', (s) => (s.readers[0].topics = []), 'readers[0].topics', [], 'a non-empty array of topic names'],
    ['a fractional record count', (s) => (s.producers[0].workload.records = 1.5), 'producers[0].workload.records', 1.5, 'an integer between 0 and 10000000'],
    ['too many records', (s) => (s.producers[0].workload.records = 1e15), 'producers[0].workload.records', 1e15, 'an integer between 0 and 10000000 (the history keeps every record)'],
    ['an infinite rate', (s) => (s.producers[0].workload.ratePerSec = Infinity), 'producers[0].workload.ratePerSec', Infinity, 'a number > 0'],
    ['a keyspace of 0 keys', (s) => (s.producers[0].workload.keys.size = 0), 'producers[0].workload.keys.size', 0, 'an integer >= 1'],
    ['an unknown key kind', (s) => (s.producers[0].workload.keys = { kind: 'random' }), 'producers[0].workload.keys.kind', 'random', "one of { kind: 'keyspace', size }"],
    ['a workload starting after the safety phase', (s) => (s.producers[0].workload.startMs = 30_000), 'producers[0].workload.startMs', 30_000, 'an integer >= 0 and below durations.safetyMs (30000)'],
    ['two nodes with one id', (s) => s.producers.push({ ...s.producers[0], id: 'reader-1' }), 'producers[1].id', 'reader-1', 'an id no other node has (readers[0] has it by default)'],
    ['explicit ids that clash', (s) => ((s.producers[0].id = 'app'), (s.readers[0].id = 'app')), 'readers[0].id', 'app', 'an id no other node has (producers[0] has it)'],
    ['a node called controller', (s) => (s.producers[0].id = 'controller'), 'producers[0].id', 'controller', 'an id other than controller, world and broker-<n>'],
    ['a node called like a broker', (s) => (s.readers[0].id = 'broker-2'), 'readers[0].id', 'broker-2', 'an id other than controller, world and broker-<n>'],
    ['a node called world', (s) => (s.readers[0].id = 'world'), 'readers[0].id', 'world', 'an id other than controller, world and broker-<n>'],
    ['an empty node id', (s) => (s.readers[0].id = ''), 'readers[0].id', '', 'a non-empty string'],
    ['an unknown producer setting', (s) => (s.producers[0].settings = { lingerMS: 5 }), 'producers[0].settings.lingerMS', 5, 'did you mean lingerMs?'],
    ['a producer setting out of range', (s) => (s.producers[0].settings = { retries: -1 }), 'producers[0].settings.retries', -1, 'an integer in [0, 2147483647]'],
    ['a consumer of an undeclared topic', (s) => (s.consumers = [{ groupId: 'g', topics: ['payments'] }]), 'consumers[0].topics[0]', 'payments', 'a declared topic (orders)'],
    ['a consumer without a group id', (s) => (s.consumers = [{ groupId: '', topics: ['orders'] }]), 'consumers[0].groupId', '', 'a non-empty group id'],
    ['a consumer heartbeat not below its session timeout', (s) => (s.consumers = [{ groupId: 'g', topics: ['orders'], settings: { heartbeatIntervalMs: 10_000, sessionTimeoutMs: 10_000 } }]), 'consumers[0].settings.heartbeatIntervalMs', 10_000, 'below session.timeout.ms (10000)'],
    ['an unknown assignor', (s) => (s.consumers = [{ groupId: 'g', topics: ['orders'], settings: { partitionAssignmentStrategy: ['fair'] } }]), 'consumers[0].settings.partitionAssignmentStrategy', ['fair'], 'a non-empty list of range, roundrobin, sticky, cooperative-sticky'],
    ['an unknown consumer setting', (s) => (s.consumers = [{ groupId: 'g', topics: ['orders'], settings: { sessionTimeout: 1 } }]), 'consumers[0].settings.sessionTimeout', 1, 'did you mean sessionTimeoutMs?'],
    ['a consumer stopping before it starts', (s) => (s.consumers = [{ groupId: 'g', topics: ['orders'], startMs: 9_000, stopMs: 8_000 }]), 'consumers[0].stopMs', 8_000, "an integer after the consumer's start (9000)"],
    ['a consumer starting after the safety phase', (s) => (s.consumers = [{ groupId: 'g', topics: ['orders'], startMs: 40_000 }]), 'consumers[0].startMs', 40_000, 'an integer >= 0 and below durations.safetyMs (30000)'],
    ['partitions added to an undeclared topic', (s) => (s.operations = [{ atMs: 10_000, kind: 'createPartitions', topic: 'payments', totalCount: 6 }]), 'operations[0].topic', 'payments', 'a declared topic (orders)'],
    ['partitions "added" that are not more', (s) => (s.operations = [{ atMs: 10_000, kind: 'createPartitions', topic: 'orders', totalCount: 3 }]), 'operations[0].totalCount', 3, 'more than the 3 partitions orders has by then'],
    ['an unknown operation', (s) => (s.operations = [{ atMs: 10_000, kind: 'deleteTopic', topic: 'orders', totalCount: 6 }]), 'operations[0].kind', 'deleteTopic', "one of 'createPartitions'"],
    [
      'a fault aimed at a __consumer_offsets partition the cluster does not have',
      (s) => ((s.consumers = [{ groupId: 'g', topics: ['orders'] }]), (s.controller = { offsetsTopicNumPartitions: 3 }), (s.faults = [{ atMs: 10_000, kind: 'crash', node: 'leader:__consumer_offsets-3' }])),
      'faults[0].node',
      'leader:__consumer_offsets-3',
      'leader:__consumer_offsets-2',
    ],
    ['a fault aimed at a __consumer_offsets partition with no group in the scenario', (s) => (s.faults = [{ atMs: 10_000, kind: 'crash', node: 'leader:__consumer_offsets-0' }]), 'faults[0].node', 'leader:__consumer_offsets-0', 'a known node id'],
    ['a fault aimed at the coordinator of an unknown group', (s) => ((s.consumers = [{ groupId: 'g', topics: ['orders'] }]), (s.faults = [{ atMs: 10_000, kind: 'crash', node: 'coordinator:h' }])), 'faults[0].node', 'coordinator:h', 'coordinator:g'],
    ['a producer setting of the wrong type', (s) => (s.producers[0].settings = { enableIdempotence: 'yes' }), 'producers[0].settings.enableIdempotence', 'yes', 'true or false'],
    ['idempotence with acks=1', (s) => (s.producers[0].settings = { acks: 1, enableIdempotence: true }), 'producers[0].settings.acks', 1, "'all' to use the idempotent producer"],
    ['a delivery timeout below linger + request timeout', (s) => (s.producers[0].settings = { deliveryTimeoutMs: 1_000 }), 'producers[0].settings.deliveryTimeoutMs', 1_000, '>= linger.ms + request.timeout.ms (30000)'],
    ['an unknown reader setting', (s) => (s.readers[0].settings = { maxPollRecord: 5 }), 'readers[0].settings.maxPollRecord', 5, 'did you mean maxPollRecords?'],
    ['a reader setting out of range', (s) => (s.readers[0].settings = { maxPollRecords: 0 }), 'readers[0].settings.maxPollRecords', 0, 'an integer >= 1'],
    ['an unknown broker setting', (s) => (s.broker = { replicaLagTimeMax: 5 }), 'broker.replicaLagTimeMax', 5, 'did you mean replicaLagTimeMaxMs?'],
    ['broker weakenings given as settings', (s) => (s.broker = { weakenings: { truncateToHighWatermark: true } }), 'broker.weakenings', { truncateToHighWatermark: true }, "left out: the broker weakenings come from the scenario's weakenings list"],
    ['per-topic min.insync.replicas given as a broker setting', (s) => (s.broker = { topicMinInsyncReplicas: { orders: 2 } }), 'broker.topicMinInsyncReplicas', { orders: 2 }, 'left out: ' + "a topic's min.insync.replicas is set on the topic"],
    ['a broker setting that would stop virtual time', (s) => (s.broker = { flushIntervalMs: 0 }), 'broker.flushIntervalMs', 0, 'an integer >= 1'],
    ['a broker flag that is not a boolean', (s) => (s.broker = { freezeHighWatermarkBelowMinIsr: 1 }), 'broker.freezeHighWatermarkBelowMinIsr', 1, 'true or false'],
    ['an unknown controller setting', (s) => (s.controller = { brokerSessionTimeout: 5 }), 'controller.brokerSessionTimeout', 5, 'did you mean brokerSessionTimeoutMs?'],
    ['an unknown replica placer', (s) => (s.controller = { replicaPlacer: 'rack-aware' }), 'controller.replicaPlacer', 'rack-aware', "one of 'striped', 'rackUnaware'"],
    ['a phase of 0 ms', (s) => (s.durations = { quietMs: 0 }), 'durations.quietMs', 0, 'an integer between 1 and 3600000'],
    ['a fractional phase', (s) => (s.durations = { finalReadMs: 1.5 }), 'durations.finalReadMs', 1.5, 'an integer between 1 and 3600000'],
    ['a phase past one virtual hour', (s) => (s.durations = { safetyMs: 1e12 }), 'durations.safetyMs', 1e12, 'an integer between 1 and 3600000 (one virtual hour'],
    ['an unknown way to end the quiet period', (s) => (s.durations = { quietEnds: 'soon' }), 'durations.quietEnds', 'soon', "one of 'settled', 'elapsed'"],
    ['an unknown phase', (s) => (s.durations = { warmupMs: 5 }), 'durations.warmupMs', 5, 'the fields of durations are startupMs, safetyMs, quietMs, finalReadMs'],
    ['a startup longer than the safety phase', (s) => (s.durations = { startupMs: 30_000 }), 'durations.startupMs', 30_000, 'an integer below durations.safetyMs (30000)'],
    ['a safety phase shorter than the default startup', (s) => (s.durations = { safetyMs: 4_000 }), 'durations.safetyMs', 4_000, 'an integer above durations.startupMs (5000)'],
    ['a sample period of 0', (s) => (s.invariantSampleMs = 0), 'invariantSampleMs', 0, 'an integer between 1 and 3600000'],
    ['a fault of an unknown kind', (s) => (s.faults = [{ atMs: 1, kind: 'reboot', node: 'broker-1' }]), 'faults[0].kind', 'reboot', 'one of crash, powerLoss'],
    ['a fault on a broker the cluster does not have', (s) => (s.faults = [{ atMs: 1, kind: 'crash', node: 'broker-4' }]), 'faults[0].node', 'broker-4', 'a known node id (controller, broker-1, broker-2, broker-3, producer-1, reader-1, leader:orders-0, follower:orders-0, followers:orders-0, next-leader:orders-0, leader:orders-1'],
    ['a fault before 0', (s) => (s.faults = [{ atMs: -1, kind: 'heal' }]), 'faults[0].atMs', -1, 'a finite number >= 0'],
    ['a fault after the safety phase', (s) => (s.faults = [{ atMs: 30_000, kind: 'heal' }]), 'faults[0].atMs', 30_000, 'a time >= 0 and below durations.safetyMs (30000)'],
    ['a partition naming an unknown node', (s) => (s.faults = [{ atMs: 1, kind: 'partition', isolate: 'producer-9' }]), 'faults[0].isolate', 'producer-9', 'a known node id'],
    ['a partition naming a node twice', (s) => (s.faults = [{ atMs: 1, kind: 'partition', groups: [['broker-1'], ['broker-1']] }]), 'faults[0].groups[1]', 'broker-1', 'a node named only once in the partition'],
    ['a link fault with a bad probability', (s) => (s.faults = [{ atMs: 1, kind: 'link', from: 'broker-1', to: 'reader-1', set: { dropProbability: 2 } }]), 'faults[0].set.dropProbability', 2, 'a probability between 0 and 1'],
    ['a fault field with a typo', (s) => (s.faults = [{ atMs: 1, kind: 'crash', nodes: 'broker-1', node: 'broker-1' }]), 'faults[0].nodes', 'broker-1', 'did you mean node?'],
    ['a fault that is not an object', (s) => (s.faults = ['crash']), 'faults[0]', 'crash', 'an object with atMs and kind'],
    ['an unknown weakening', (s) => (s.weakenings = ['acks-0']), 'weakenings[0]', 'acks-0', "one of 'acks-1', 'unclean-leader-election'"],
    ['a weakening listed twice', (s) => (s.weakenings = ['acks-1', 'acks-1']), 'weakenings[1]', 'acks-1', 'a weakening not listed already (weakenings[0])'],
    ['a network default out of range', (s) => (s.network = { defaults: { duplicateProbability: 1.5 } }), 'network.defaults.duplicateProbability', 1.5, 'a probability between 0 and 1'],
    ['an unknown link setting', (s) => (s.network = { defaults: { loss: 0.1 } }), 'network.defaults.loss', 0.1, 'a known link setting'],
    ['a network link to an unknown node', (s) => (s.network = { links: [{ from: 'broker-1', to: 'broker-9', dropProbability: 0.1 }] }), 'network.links[0].to', 'broker-9', 'a node id of this scenario'],
    ['a bad link latency', (s) => (s.network = { links: [{ from: 'broker-1', to: 'broker-2', latency: { kind: 'uniform', minMs: 5, maxMs: 1 } }] }), 'network.links[0].latency.maxMs', 1, 'a finite number >= 5'],
    ['an unknown network field', (s) => (s.network = { default: {} }), 'network.default', {}, 'did you mean defaults?'],
  ];

  it.each(broken)('reports %s', (_name, change, path, value, allowed) => {
    const error = errorOf(changed(change));
    expect(error.issues).toHaveLength(1);
    const issue = error.issues[0] as ScenarioIssue;
    expect(issue.path).toBe(path);
    expect(issue.value).toEqual(value);
    expect(issue.allowed).toContain(allowed);
    // One issue, one line.
    expect(error.message).toBe(`invalid scenario: ${path}: got ${error.message.slice(error.message.indexOf(': got ') + 6)}`);
    expect(error.message).toContain(allowed);
  });

  it("accepts faults aimed at the roles of a group's __consumer_offsets partitions (its coordinator and followers)", () => {
    const scenario = changed((s) => {
      s.consumers = [{ groupId: 'g', topics: ['orders'] }];
      s.controller = { offsetsTopicNumPartitions: 3 };
      s.faults = [
        { atMs: 10_000, kind: 'partition', groups: [['leader:__consumer_offsets-1'], ['followers:__consumer_offsets-1']] },
        { atMs: 11_000, kind: 'heal' },
      ];
    });
    expect(() => validateScenario(scenario)).not.toThrow();
  });

  it('names a misspelt field and the field it probably meant, and still reports the real one missing', () => {
    const error = errorOf(changed((s) => (s.topics[0] = { name: 'orders', partitions: 3, replicationFacter: 3 })));
    expect(error.message).toContain(
      'topics[0].replicationFacter: got 3, allowed: no field of that name (did you mean replicationFactor?); the fields of topics[0] are name, partitions, replicationFactor, minInsyncReplicas',
    );
    expect(error.message).toContain('topics[0].replicationFactor: got undefined, allowed: an integer between 1 and 50');
    expect(error.issues).toHaveLength(2);
  });

  it('names an unknown top-level field and lists the allowed ones', () => {
    const error = errorOf(changed((s) => (s.weakening = ['acks-1'])));
    expect(error.issues).toEqual([
      {
        path: 'weakening',
        value: ['acks-1'],
        allowed:
          'no field of that name (did you mean weakenings?); the fields of scenario are seed, brokers, topics, producers, readers, consumers, apps, operations, broker, controller, network, faults, weakenings, durations, invariantSampleMs, kafka',
      },
    ]);
  });

  it('reports every issue at once, from the schema and from the cross-field rules', () => {
    const error = errorOf(
      changed((s) => {
        s.brokers = 2;
        s.topics.push({ name: 'payments', partitions: 0, replicationFactor: 2 });
        s.producers[0].workload.ratePerSec = -5;
        s.producers[0].workload.topic = 'ordres';
        s.readers[0].id = 'controller';
        s.faults = [{ atMs: 40_000, kind: 'crash', node: 'broker-1' }];
        s.weakenings = ['acks-1', 'acks-1'];
      }),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      [
        'topics[0].replicationFactor',
        'topics[1].partitions',
        'producers[0].workload.ratePerSec',
        'producers[0].workload.topic',
        'readers[0].id',
        'faults[0].atMs',
        'weakenings[1]',
      ].sort(),
    );
    expect(error.message.split('\n')).toHaveLength(1 + error.issues.length);
    expect(error.message.split('\n')[0]).toBe('Invalid scenario (7 issues):');
  });

  it('checks the rest of a producer when one of its fields is wrong', () => {
    const error = errorOf(
      changed((s) => {
        s.producers[0].workload.records = -1;
        s.producers[0].settings = { acks: 0, enableIdempotence: true };
      }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['producers[0].workload.records', 'producers[0].settings.acks']);
  });

  it('does not report the consequences of a wrong field as issues of their own', () => {
    // The broker count is wrong: the replication factor and the fault's broker are not judged against it.
    const error = errorOf(changed((s) => ((s.brokers = 0), (s.faults = [{ atMs: 1, kind: 'crash', node: 'broker-3' }]))));
    expect(error.issues.map((issue) => issue.path)).toEqual(['brokers']);
  });

  it('refuses what is not a scenario object', () => {
    for (const input of [null, 42, 'scenario.json', []]) {
      const error = errorOf(input);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatchObject({ path: 'scenario', value: input });
      expect(error.message).toContain('allowed: an object with the fields seed, brokers, topics');
    }
  });

  it('reports every missing required field', () => {
    const error = errorOf({});
    expect(error.issues.map((issue) => issue.path)).toEqual(['seed', 'brokers', 'topics', 'producers', 'readers']);
  });

  it('truncates a long value in the message but keeps it whole in the issue', () => {
    const name = 'x'.repeat(500);
    const error = errorOf(changed((s) => (s.producers[0].workload.topic = name)));
    expect(error.issues[0]?.value).toBe(name);
    const messageLine = error.message;
    expect(messageLine.length).toBeLessThan(250);
    expect(messageLine).toContain('...');
  });
});

describe('resolveScenario', () => {
  it('fills node ids, phases, start times, faults, weakenings and the sample period', () => {
    const scenario = minimalScenario();
    scenario.producers.push({ id: 'checkout', workload: { topic: 'orders', records: 1, ratePerSec: 1, keys: { kind: 'null' }, startMs: 7_000 } });
    const resolved = resolveScenario(scenario);
    expect(resolved.producers.map((p) => [p.id, p.workload.startMs])).toEqual([
      ['producer-1', defaultDurations.startupMs],
      ['checkout', 7_000],
    ]);
    expect(resolved.readers.map((r) => r.id)).toEqual(['reader-1']);
    expect(resolved.durations).toEqual(defaultDurations);
    expect(resolved.faults).toEqual([]);
    expect(resolved.weakenings).toEqual([]);
    expect(resolved.invariantSampleMs).toBe(500);
    expect(resolved).not.toHaveProperty('broker');
  });

  it('keeps what the scenario sets and fills only the phases it leaves out', () => {
    const resolved = resolveScenario(fullScenario());
    expect(resolved.durations).toEqual({ ...defaultDurations, startupMs: 4_000, safetyMs: 20_000 });
    expect(resolved.producers.map((p) => p.id)).toEqual(['checkout', 'producer-2']);
    expect(resolved.producers[1]?.workload.startMs).toBe(4_000);
    expect(resolved.readers.map((r) => r.id)).toEqual(['auditor']);
    expect(resolved.invariantSampleMs).toBe(250);
    expect(resolved.weakenings).toEqual(['acks-1', 'truncate-to-high-watermark']);
    expect(resolved.faults).toEqual(fullScenario().faults);
    expect(resolved.broker).toEqual(fullScenario().broker);
  });

  it('returns plain JSON that shares nothing with its input', () => {
    const scenario = fullScenario();
    const before = structuredClone(scenario);
    const resolved = resolveScenario(scenario);
    expect(JSON.parse(JSON.stringify(resolved))).toEqual(resolved);
    expect(scenario).toEqual(before);
    expect(resolved.topics).not.toBe(scenario.topics);
    expect(resolved.faults[0]).not.toBe(scenario.faults?.[0]);
    expect(resolveScenario(resolved as Scenario)).toEqual(resolved);
  });

  it('refuses an invalid scenario', () => {
    expect(() => resolveScenario(changed((s) => (s.brokers = 0)) as Scenario)).toThrow(ScenarioError);
  });
});
