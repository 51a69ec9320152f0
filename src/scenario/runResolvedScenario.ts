// One run of a resolved scenario, in TigerBeetle's VOPR shape: a safety phase with the workload and the faults,
// then a liveness phase (heal every partition and link, restart and resume every node, a quiet period, then
// every reader reads every partition from the beginning to its high watermark). The history goes to the
// Jepsen-style checkers; the cluster's invariants are sampled during the whole run. Nothing here draws time or
// randomness of its own: the World's seed decides everything, so the traceHash names the run.
import { brokerMachine } from '../../actors/broker/brokerMachine.ts';
import { replicaOf } from '../../actors/broker/BrokerState.ts';
import { controllerMachine } from '../../actors/controller/controllerMachine.ts';
import { zookeeperMachine } from '../../actors/zookeeper/zookeeperMachine.ts';
import { zookeeperWithTopics } from '../../actors/zkcontroller/topicZnodes.ts';
import { ZOOKEEPER_NODE_ID } from '../protocol/zookeeperMessages.ts';
import { producerMachine } from '../../actors/producer/producerMachine.ts';
import { readerMachine } from '../../actors/reader/readerMachine.ts';
import { consumerMachine } from '../../actors/consumer/consumerMachine.ts';
import { controllerDefaults } from '../../actors/controller/controllerDefaults.ts';
import { CONSUMER_OFFSETS_TOPIC } from '../protocol/groupMessages.ts';
import { checkGroups, groupConvergence, type ExpectedRecord } from '../checker/group/index.ts';
import { GroupObserver } from './GroupObserver.ts';
import { ArgumentError } from '../kernel/argumentError.ts';
import { kafkajsClient, useSynchronousKafkajsCodecs, type KafkajsApp, type KafkajsClientOptions } from '../realclients/kafkajs.ts';
import { loadApps } from '../realclients/loadApps.ts';
import { RealClientHarness } from '../realclients/RealClientHarness.ts';
import { RealClientHost } from '../realclients/RealClientHost.ts';
import { BROKER_PORT } from '../realclients/wireApis.ts';
import { wireGateway } from '../realclients/WireGateway.ts';
import type { ResolvedAppSpec } from './resolveScenario.ts';
import type { GroupLog } from '../history/GroupNote.ts';
import { checkAll, type CheckAllResult } from '../checker/checkAll.ts';
import type { CheckResult } from '../checker/CheckResult.ts';
import { finalReadLoss } from '../checker/finalReadLoss.ts';
import type { LeaderNote } from '../checker/ClusterSample.ts';
import type { MetadataRecord } from '../protocol/metadataRecords.ts';
import { InvariantMonitor, type InvariantResult } from '../checker/InvariantMonitor.ts';
import type { Fault } from '../faults/Fault.ts';
import type { History } from '../history/History.ts';
import type { NetworkConfig } from '../kernel/networkModel.ts';
import { Rng, type Seed } from '../kernel/Rng.ts';
import { createWorld, WORLD_NODE_ID, type World } from '../kernel/World.ts';
import { brokerNodeId, CONTROLLER_NODE_ID } from '../protocol/nodeIds.ts';
import { brokerStateOf, clusterState, finalGroups, partitionView, sampleCluster, type ClusterState } from './clusterSample.ts';
import { FaultTargets, nextLeaderPartition } from './faultTargets.ts';
import { NextLeaderFaults } from './nextLeaderFaults.ts';
import { HistoryCollector } from './HistoryCollector.ts';
import { isZooKeeperMode, type KafkaSpec } from './kafkaProfile.ts';
import { roleConfigs } from './roleConfigs.ts';
import type { AdminOperation, ConsumerSpec, Durations, ProducerSpec, QuietEnds, ReaderSpec, TopicSpec } from './Scenario.ts';
import { unsettled, type SettleView } from './settled.ts';
import { zookeeperController } from './zookeeperView.ts';
import type { WeakeningName } from './weakenings.ts';
import { mergeByTime, workloadCalls } from './workload.ts';

/** A scenario with every default filled in: what a run and a replay capsule need. */
export interface RunnableScenario {
  seed: Seed;
  brokers: number;
  topics: TopicSpec[];
  producers: Array<ProducerSpec & { id: string }>;
  readers: Array<ReaderSpec & { id: string }>;
  /** Group consumers (absent in scenarios from before consumer groups: none). */
  consumers?: Array<ConsumerSpec & { id: string; startMs: number }> | undefined;
  /** Real client applications (absent: none). */
  apps?: ResolvedAppSpec[] | undefined;
  /** Administrative operations (absent in scenarios from before them: none). */
  operations?: AdminOperation[] | undefined;
  broker?: Record<string, unknown> | undefined;
  controller?: Record<string, unknown> | undefined;
  network?: NetworkConfig | undefined;
  faults: Fault[];
  weakenings: WeakeningName[];
  durations: Durations;
  invariantSampleMs: number;
  /** The Kafka version profile (absent: the default version, 4.1). */
  kafka?: KafkaSpec | undefined;
}

/** What a run returns. */
export interface RunResult {
  /** false when a checker or an invariant found a violation; 'unknown' when the history held nothing to judge. */
  valid: true | false | 'unknown';
  history: History;
  checkers: CheckAllResult;
  invariants: InvariantResult[];
  /** The cluster after the final read. */
  finalState: ClusterState;
  /** Whether every reader finished its final read within finalReadMs (liveness after heal). */
  finalReadComplete: boolean;
  /** When the final read began (virtual ms): polls from then on are the read after the heal. */
  finalReadStartMs: number;
  traceHash: string;
  /** Virtual time at the end of the run. */
  virtualMs: number;
  /** The rebalance log: ownership, processing, accepted commits and completed generations (empty without groups). */
  groupLog: GroupLog;
  /** Each fault as scheduled and the node(s) it reached (undefined when its role had no node then). */
  appliedFaults: Array<{ atMs: number; fault: Fault; applied: Fault | undefined }>;
  /**
   * The quiet period: when it began and ended, how it was to end, and, when it was to end once the cluster settled,
   * what the cluster still waited for at its end (null: it settled).
   */
  quiet: { startMs: number; endMs: number; ends: QuietEnds; waitingFor: string | null };
  /**
   * Each election of a partition's last known leader (KIP-966 balanced recovery) with unclean elections off:
   * Kafka marks it unclean; the replication properties do not judge a run in which that leader had lost its page
   * cache (properties/replicationProperties.ts).
   */
  uncleanRecoveries: Array<{ partition: string; leader: number }>;
  /**
   * Each broker that took a partition's leadership with a log ending below a high watermark another live replica
   * had learned: acknowledged records the new leader does not have. Faithful Kafka does so only with a leader that
   * lost its page cache: Kafka 3.9, without KIP-966's ELR, keeps a broker in the ISR across an unclean shutdown
   * (`ReplicationControlManager#handleBrokerUncleanShutdown` writes nothing), and elects it again (bug R12). Until the
   * other replicas fetch from it and truncate, they hold those records below their high watermarks.
   *
   * Also each broker that took a leadership again in an epoch it had led before it restarted, with a log ending
   * below another live replica's (`sameEpochAbove`, that replica's log end): a ZooKeeper-mode leader that restarts
   * while no controller notices (none is active, or its session outlived the restart) is made leader again in the
   * same epoch by the next controller. After a power loss its new records at offsets the others still hold in that
   * epoch diverge where leader epochs cannot tell (KIP-101's scenario 2, bug R4, without the epoch change that
   * fixes it).
   */
  lossyElections: Array<{ partition: string; leader: number; leaderEpoch: number; logEndOffset: number; highWatermark: number; sameEpochAbove?: number }>;
}

/** Options of a run that change what is kept, not what happens. */
export interface RunOptions {
  /**
   * 'hash' keeps only the running trace hash (the default, for speed); 'full' keeps the trace for reports; 'none'
   * keeps nothing (the result's traceHash is empty): a property check's search runs.
   */
  trace?: 'hash' | 'full' | 'none';
  /** Called with the World once it is built, before anything runs (reports tap its streams). */
  onWorld?: (world: World) => void;
}

/** Runs a resolved scenario from its seed to its verdicts. A scenario with real client apps runs with runResolvedScenarioAsync. */
export function runResolvedScenario(scenario: RunnableScenario, options: RunOptions = {}): RunResult {
  if ((scenario.apps ?? []).length > 0) {
    throw new ArgumentError('runResolvedScenario', 'scenario.apps', scenario.apps?.map((app) => app.id), 'none: a scenario with real client applications runs with runResolvedScenarioAsync (or runScenarioAsync)');
  }
  const run = runPhases(scenario, options, new Map());
  for (;;) {
    const next = run.next();
    if (next.done === true) return next.value;
  }
}

/**
 * Runs a resolved scenario that may have real client applications (kafkajs): their modules are loaded, the harness
 * is installed for the run (and the real globals put back after it), and the run waits for each client's
 * microtasks between steps. The same scenario gives the same traceHash in any process.
 */
export async function runResolvedScenarioAsync(scenario: RunnableScenario, options: RunOptions = {}): Promise<RunResult> {
  const apps = await loadApps(scenario.apps ?? []);
  const run = runPhases(scenario, options, apps);
  try {
    for (;;) {
      const next = run.next();
      if (next.done === true) return next.value;
      await next.value.settle();
    }
  } finally {
    run.return(undefined as never);
  }
}

// The run itself: yields the harness whenever a real client's code ran in a step, for the caller to let its
// microtasks settle; never yields in a run without real clients.
function* runPhases(scenario: RunnableScenario, options: RunOptions, apps: ReadonlyMap<string, KafkajsApp>): Generator<RealClientHarness, RunResult> {
  const brokerIds = Array.from({ length: scenario.brokers }, (_, i) => i + 1);
  const world = createWorld({ seed: scenario.seed, network: withLosslessApplication(scenario), trace: options.trace ?? 'hash' });
  options.onWorld?.(world);
  const harness = apps.size === 0 ? undefined : new RealClientHarness(world);
  harness?.install();
  const restoreCodecs = harness === undefined ? undefined : useSynchronousKafkajsCodecs();
  try {
    return yield* runWorld(world, harness, scenario, apps, brokerIds);
  } finally {
    restoreCodecs?.();
    harness?.uninstall();
  }
}

function* runWorld(
  world: World,
  harness: RealClientHarness | undefined,
  scenario: RunnableScenario,
  apps: ReadonlyMap<string, KafkajsApp>,
  brokerIds: readonly number[],
): Generator<RealClientHarness, RunResult> {
  const collector = new HistoryCollector();
  const consumers = scenario.consumers ?? [];
  const operations = scenario.operations ?? [];
  const partitionCount = (topic: string) =>
    Math.max(scenario.topics.find((t) => t.name === topic)?.partitions ?? 0, ...operations.filter((o) => o.topic === topic).map((o) => o.totalCount));
  // The built-in kafkajs group consumers report to the rebalance log as the simulator's own consumers do.
  const groupApps = (scenario.apps ?? []).flatMap((app) =>
    app.app === 'group-consumer' ? [{ id: app.id, groupId: String(app.settings?.groupId), topics: (app.settings?.topics ?? []) as string[] }] : [],
  );
  const groups = new GroupObserver([...consumers, ...groupApps], partitionCount);
  const monitor = new InvariantMonitor();
  const finishedReads = new Set<string>();
  // A note a collector cannot take (a client broke the history's rules) is a bug in the run: RxJS would report it
  // later, asynchronously, so it is kept and thrown from the run itself as soon as the World stops.
  let observerError: unknown;
  const lossyElections: RunResult['lossyElections'] = [];
  // `partition|epoch|broker` of every leadership noted: the same again means a restart the controller missed.
  const leaderships = new Set<string>();
  // The group observer learns of a node a fault took down (its members' ownership ends there).
  const noteNodeDown = (applied: Fault) => {
    if (applied.kind === 'crash' || applied.kind === 'powerLoss' || applied.kind === 'shutdown') groups.nodeDown(applied.node, world.now);
  };
  // A fault naming `next-leader:` applies as that broker takes over, at the current instant once its step is done.
  const nextLeaders = new NextLeaderFaults((fault, broker) => {
    const applied = targets.fired(fault, brokerNodeId(broker));
    appliedFaults.push({ atMs: world.now, fault, applied });
    world.schedule([{ ...applied, atMs: world.now }]);
    noteNodeDown(applied);
  });
  world.notes$.subscribe((note) => {
    try {
      collector.observe(note);
      groups.observe(note);
      const data = note.data as Partial<LeaderNote> & { readToEnd?: string };
      if (data.invariant === 'leader') {
        monitor.observeLeader(data as LeaderNote, note.atMs);
        nextLeaders.observeLeader(data as LeaderNote);
        const leadership = `${data.topic}-${data.partition}|${data.leaderEpoch}|${data.broker}`;
        const lossy = lossyElection(world, brokerIds, data as LeaderNote, leaderships.has(leadership));
        leaderships.add(leadership);
        if (lossy !== undefined) lossyElections.push(lossy);
      }
      if (data.readToEnd === 'done') finishedReads.add(note.node);
    } catch (error) {
      observerError ??= error;
    }
  });
  buildCluster(world, scenario, brokerIds, harness, apps);
  const offsetsPartitions = hasGroups(scenario) ? offsetsTopicOf(scenario).numPartitions : undefined;
  const targets = new FaultTargets({
    partition: (key) => partitionView(world, brokerIds, key),
    status: (id) => world.status(id),
    ...(isZooKeeperMode(scenario.kafka) ? { controller: () => zookeeperController(world) } : {}),
    ...(offsetsPartitions === undefined ? {} : { offsetsPartitions }),
  });
  const appliedFaults: RunResult['appliedFaults'] = [];

  const { durations } = scenario;
  const partitionsOf = (topic: string) => scenario.topics.find((t) => t.name === topic)?.partitions ?? 1;
  const calls = workloadCalls(scenario.producers, partitionsOf, durations.startupMs, new Rng(scenario.seed).fork('workload'));
  const sample = () => monitor.observeSample(sampleCluster(world, brokerIds));
  let nextSampleMs = scenario.invariantSampleMs;
  // Without real clients a stretch of time runs at once; with them, one step at a time, yielding after each.
  function* runFor(ms: number): Generator<RealClientHarness, void> {
    if (harness === undefined) {
      world.runFor(ms);
      return;
    }
    const end = world.now + ms;
    while (world.step(end)) if (harness.unsettled) yield harness;
    world.runFor(end - world.now);
  }
  function* runTo(targetMs: number): Generator<RealClientHarness, void> {
    if (observerError !== undefined) throw observerError;
    while (nextSampleMs <= targetMs) {
      yield* runFor(nextSampleMs - world.now);
      sample();
      nextSampleMs += scenario.invariantSampleMs;
    }
    yield* runFor(targetMs - world.now);
  }

  // Safety phase: the workload's calls and the faults at their times (a fault before a call at the same
  // instant). Role targets resolve as each fault applies, and the invariants are sampled after every fault that
  // takes a node down or brings one back. Calls past the safety phase still go out: a workload longer than the
  // phase runs on into the quiet period.
  // Faults first at an instant, then the workload's calls, then the administrator's (a stable merge by time).
  type TimelineItem = { atMs: number; fault: Fault } | { atMs: number; to: string; command: object };
  const byTime = (items: TimelineItem[]) => items.sort((a, b) => a.atMs - b.atMs)[Symbol.iterator]();
  const timeline = mergeByTime<TimelineItem>([
    byTime(scenario.faults.map((fault) => ({ atMs: fault.atMs, fault }))),
    calls,
    byTime(operations.map(({ atMs, topic, totalCount }) => ({ atMs, to: CONTROLLER_NODE_ID, command: { type: 'admin.createPartitions', topic, totalCount } }))),
  ]);
  for (const item of timeline) {
    yield* runTo(item.atMs);
    if (!('fault' in item)) {
      // The workload's calls are the application's method calls on its client, inside the client's process; the
      // administrator's come over the network from outside the cluster, to the controller (in ZooKeeper mode the
      // broker elected when the call is made; none while one is being elected, and the call is lost, as one to a
      // KRaft controller that is down).
      if (item.to !== CONTROLLER_NODE_ID) world.call(item.to, item.command as never);
      else if (!isZooKeeperMode(scenario.kafka)) world.inject(item.to, item.command as never);
      else {
        const controller = zookeeperController(world);
        if (controller !== undefined) world.inject(controller, item.command as never);
      }
      continue;
    }
    const nextLeaderOf = nextLeaderPartition(item.fault);
    if (nextLeaderOf !== undefined) {
      nextLeaders.arm(item.fault as Extract<Fault, { node: string }>, nextLeaderOf);
      continue;
    }
    const applied = targets.resolve(item.fault);
    appliedFaults.push({ atMs: item.atMs, fault: item.fault, applied });
    if (applied === undefined) continue;
    world.applyFault(applied);
    noteNodeDown(applied);
    if ('node' in applied) sample();
  }
  yield* runTo(Math.max(durations.safetyMs, world.now));
  // A fault still waiting for a partition's next leader is skipped, as a role with no node is.
  for (const fault of nextLeaders.disarm()) appliedFaults.push({ atMs: fault.atMs, fault, applied: undefined });
  appliedFaults.sort((a, b) => a.atMs - b.atMs);

  // Liveness phase: heal everything, bring every node back, let the cluster settle, then read it all.
  world.heal();
  sample();
  for (const id of world.nodeIds()) {
    const status = world.status(id);
    if (status === 'down') world.restart(id);
    else if (status === 'paused') world.resume(id);
    // One still stopping (a controlled shutdown under way) starts again once it has exited.
    if (world.isStopping(id)) world.restart(id);
  }
  sample();
  const settleView: SettleView = {
    brokerIds,
    sinceMs: world.now,
    sendsOpen: () => collector.hasOpen('send'),
    consumers,
    partitionsOf: (groupId) => groups.partitionsByGroup([groupId])[groupId] ?? [],
    ...(groupApps.length === 0 ? {} : { appConsumers: groupApps }),
  };
  const quiet = yield* quietPeriod(world, durations, runTo, () => nextSampleMs, settleView);
  const finalReadStartMs = world.now;
  for (const reader of scenario.readers) world.call(reader.id, { type: 'client.readToEnd' });
  const deadlineMs = world.now + durations.finalReadMs;
  const allRead = () => scenario.readers.every((reader) => finishedReads.has(reader.id));
  while (!allRead() && world.now < deadlineMs) yield* runTo(Math.min(deadlineMs, nextSampleMs));
  // The groups' members drain their lag: every record the final read found is processed by some member.
  const expected = groups.expectedRecords(collector.snapshot(), finalReadStartMs, scenario.readers.map((r) => r.id));
  const drainDeadlineMs = world.now + durations.finalReadMs;
  while (!groups.hasProcessed(expected) && world.now < drainDeadlineMs) yield* runTo(Math.min(drainDeadlineMs, nextSampleMs));
  // The end state is judged settled too (group convergence reads it): a rebalance the final read overlapped, for
  // example one a resumed coordinator starts as it expires the sessions it slept through, is let finish.
  if (quiet.ends === 'settled') yield* quietPeriod(world, durations, runTo, () => nextSampleMs, settleView);
  sample();

  if (observerError !== undefined) throw observerError;
  const history = collector.finish(world.now);
  let checkers = withFinalReadLoss(checkAll(history), finalReadLoss(history, finalReadStartMs, scenario.readers.map((r) => r.id)));
  if (consumers.length > 0 || groupApps.length > 0) checkers = withGroupCheckers(checkers, world, brokerIds, groups, history, expected);
  const invariants = monitor.results();
  const invariantsValid = invariants.every((result) => result.valid);
  return {
    valid: !invariantsValid ? false : checkers.valid,
    history,
    checkers,
    invariants,
    finalState: clusterState(world, brokerIds),
    finalReadComplete: allRead(),
    finalReadStartMs,
    traceHash: world.traceHash(),
    virtualMs: world.now,
    groupLog: groups.log(),
    appliedFaults,
    quiet,
    uncleanRecoveries: uncleanRecoveries(world, scenario),
    lossyElections,
  };
}

/**
 * A broker's step into a partition's leadership, judged against the other live replicas: the election lost
 * acknowledged records when the new leader's log ends below a high watermark one of them had learned (read as the
 * note is emitted, so the new leader's log is as it took over and the others' as they last fetched), unless one of
 * them is already in a newer leader epoch; a leadership taken `again` in the same epoch (after a restart) is lossy
 * when its log ends below any other replica's.
 */
function lossyElection(world: World, brokerIds: readonly number[], note: LeaderNote, again: boolean): RunResult['lossyElections'][number] | undefined {
  const replicaOn = (brokerId: number) => {
    const state = brokerStateOf(world, brokerId);
    return state === undefined ? undefined : replicaOf(state, note.topic, note.partition);
  };
  const logEndOffset = replicaOn(note.broker)?.log.logEndOffset ?? 0;
  let highWatermark = -1;
  let otherEnd = -1;
  for (const brokerId of brokerIds) {
    const replica = brokerId === note.broker ? undefined : replicaOn(brokerId);
    // A leadership in an epoch another replica has already left behind is no election in force: a request from a
    // superseded controller applied late (a ZooKeeper-mode broker that wakes with its old controller's LeaderAndIsr
    // unread). Clients with current metadata do not reach it, and it loses nothing acknowledged by itself.
    if (replica !== undefined && replica.leaderEpoch > note.leaderEpoch) return undefined;
    if (replica !== undefined && replica.log.highWatermark > highWatermark) highWatermark = replica.log.highWatermark;
    if (replica !== undefined && replica.log.logEndOffset > otherEnd) otherEnd = replica.log.logEndOffset;
  }
  const partition = `${note.topic}-${note.partition}`;
  const election = { partition, leader: note.broker, leaderEpoch: note.leaderEpoch, logEndOffset, highWatermark };
  if (again && otherEnd > logEndOffset) return { ...election, sameEpochAbove: otherEnd };
  return highWatermark > logEndOffset ? election : undefined;
}

/**
 * The elections of a last known leader (KIP-966) the controller made with `unclean.leader.election.enable` off:
 * PartitionChange records marked RECOVERING, which then come from no other election. Kafka counts them unclean:
 * the leader may have lost acknowledged records.
 */
function uncleanRecoveries(world: World, scenario: RunnableScenario): RunResult['uncleanRecoveries'] {
  const config = { ...controllerDefaults, ...roleConfigs(scenario).controller };
  // ZooKeeper mode has no last-known-leader election (KIP-966 is KRaft's).
  if (config.uncleanLeaderElectionEnable || isZooKeeperMode(scenario.kafka)) return [];
  const log = (world.snapshot(CONTROLLER_NODE_ID)?.context as { log?: readonly MetadataRecord[] } | undefined)?.log ?? [];
  return log.flatMap((record) =>
    record.type === 'PartitionChange' && record.leaderRecoveryState === 'RECOVERING' ? [{ partition: `${record.topic}-${record.partition}`, leader: record.leader ?? -1 }] : [],
  );
}

/**
 * Runs the quiet period. With `quietEnds` 'settled' (the default) it ends at the first invariant sample at which the
 * cluster has settled (settled.ts), or after quietMs when it never does; a resolved scenario without `quietEnds`
 * (a capsule recorded before the rule) waits quietMs, so it replays to the same trace.
 */
function* quietPeriod(
  world: World,
  durations: Durations,
  runTo: (targetMs: number) => Generator<RealClientHarness, void>,
  nextSampleMs: () => number,
  view: SettleView,
): Generator<RealClientHarness, RunResult['quiet']> {
  const startMs = world.now;
  const capMs = startMs + durations.quietMs;
  if ((durations.quietEnds ?? 'elapsed') === 'elapsed') {
    yield* runTo(capMs);
    return { startMs, endMs: world.now, ends: 'elapsed', waitingFor: null };
  }
  // Settled at two samples in a row: a node resumed or restarted at the heal has not yet acted on the time it missed
  // (a resumed coordinator expires the sessions it slept through), so one look right after the heal is not enough.
  let settledBefore = false;
  for (;;) {
    const waitingFor = unsettled(world, view);
    if ((waitingFor === null && settledBefore) || world.now >= capMs) return { startMs, endMs: world.now, ends: 'settled', waitingFor };
    settledBefore = waitingFor === null;
    yield* runTo(Math.min(capMs, nextSampleMs()));
  }
}

// The history checkers' verdict with the final read's: what the readers did not find after the heal.
function withFinalReadLoss(all: CheckAllResult, loss: CheckResult): CheckAllResult {
  const results = [...all.results, loss];
  const valid = loss.valid === false ? false : all.valid;
  return { valid, results, anomalies: { ...all.anomalies, ...loss.anomalies } };
}

// The group checkers over the rebalance log, with the at-least-once and convergence checks for the groups that
// still have a member running at the end (a group whose members all closed has nobody left to drain it).
function withGroupCheckers(
  all: CheckAllResult,
  world: World,
  brokerIds: readonly number[],
  groups: GroupObserver,
  history: History,
  expected: readonly ExpectedRecord[],
): CheckAllResult {
  const active = groups.activeGroups();
  const grouped = checkGroups({ log: groups.log(), history, groupOf: groups.groupOf(), expected, groupIds: active });
  const convergence = groupConvergence(finalGroups(world, brokerIds), groups.partitionsByGroup(active));
  const results = [...all.results, ...grouped.results, convergence];
  const anomalies = { ...all.anomalies, ...grouped.anomalies, ...convergence.anomalies };
  const valid = grouped.valid === false || convergence.valid === false ? false : all.valid;
  return { valid, results, anomalies };
}

// Whether the run has consumer groups: group consumers, or real client applications (which may join groups).
function hasGroups(scenario: RunnableScenario): boolean {
  return (scenario.consumers ?? []).length > 0 || (scenario.apps ?? []).length > 0;
}

// The `__consumer_offsets` topic the controller creates when the run has groups (offsets.topic.* settings).
function offsetsTopicOf(scenario: RunnableScenario): { name: string; numPartitions: number; replicationFactor: number } {
  const controller = { ...controllerDefaults, ...(scenario.controller as Partial<typeof controllerDefaults> | undefined) };
  return {
    name: CONSUMER_OFFSETS_TOPIC,
    numPartitions: controller.offsetsTopicNumPartitions,
    replicationFactor: Math.min(controller.offsetsTopicReplicationFactor, scenario.brokers),
  };
}

// The controller, the brokers, then the clients, each with the roles' settings for this run.
function buildCluster(world: World, scenario: RunnableScenario, brokerIds: readonly number[], harness: RealClientHarness | undefined, apps: ReadonlyMap<string, KafkajsApp>): void {
  const configs = roleConfigs(scenario);
  const topics = scenario.topics.map((topic) => ({ name: topic.name, numPartitions: topic.partitions, replicationFactor: topic.replicationFactor }));
  if (hasGroups(scenario)) topics.push(offsetsTopicOf(scenario));
  if (isZooKeeperMode(scenario.kafka)) {
    // ZooKeeper mode: the topics are in ZooKeeper before the brokers start; a broker elected among them controls.
    const initialDisk = zookeeperWithTopics(brokerIds, topics, new Rng(scenario.seed).fork('zookeeper-topics'));
    world.addNode(ZOOKEEPER_NODE_ID, zookeeperMachine, { input: { initialDisk } });
  } else {
    world.addNode(CONTROLLER_NODE_ID, controllerMachine, { input: { brokerIds, topics, config: configs.controller } });
  }
  // Brokers listen for real clients (a wire gateway) only when the run has some: other runs keep their traces.
  const adapter = harness === undefined ? {} : { adapter: wireGateway };
  for (const brokerId of brokerIds) {
    world.addNode(brokerNodeId(brokerId), brokerMachine, { input: { brokerId, config: configs.broker }, ...adapter });
  }
  const bootstrap = brokerIds.map((id) => `${brokerNodeId(id)}:${BROKER_PORT}`);
  for (const spec of scenario.apps ?? []) {
    const app = kafkajsClient(apps.get(spec.id) as KafkajsApp, { brokers: bootstrap, config: (spec.client ?? {}) as KafkajsClientOptions['config'] });
    world.addHost(spec.id, (context) => new RealClientHost(spec.id, app, context, harness as RealClientHarness, BROKER_PORT, spec.startMs));
  }
  for (const producer of scenario.producers) {
    const settings = { ...configs.producerProfile, ...producer.settings, ...configs.producerOverrides };
    world.addNode(producer.id, producerMachine, { input: { bootstrapBrokers: brokerIds, settings, weakenings: configs.producerWeakenings } });
  }
  for (const reader of scenario.readers) {
    world.addNode(reader.id, readerMachine, { input: { bootstrapBrokers: brokerIds, topics: reader.topics, ...reader.settings } });
  }
  for (const consumer of scenario.consumers ?? []) {
    const schedule = { startMs: consumer.startMs, ...(consumer.stopMs === undefined ? {} : { stopMs: consumer.stopMs }) };
    const input = { bootstrapBrokers: brokerIds, groupId: consumer.groupId, topics: consumer.topics, settings: consumer.settings ?? {}, weakenings: configs.consumerWeakenings, schedule };
    world.addNode(consumer.id, consumerMachine, { input });
  }
}

// The administrator's calls reach the controller over a link that neither delays nor loses them (the admin
// client's own retries are not modelled); the application's calls to its clients are World.call, not messages.
function withLosslessApplication(scenario: RunnableScenario): NetworkConfig {
  if ((scenario.operations ?? []).length === 0) return scenario.network ?? {};
  const controllers = isZooKeeperMode(scenario.kafka) ? Array.from({ length: scenario.brokers }, (_, i) => brokerNodeId(i + 1)) : [CONTROLLER_NODE_ID];
  const admin = controllers.map((to) => ({
    from: WORLD_NODE_ID,
    to,
    latency: { kind: 'constant' as const, ms: 0 },
    dropProbability: 0,
    duplicateProbability: 0,
    reorderProbability: 0,
  }));
  return { ...scenario.network, links: [...(scenario.network?.links ?? []), ...admin] };
}
