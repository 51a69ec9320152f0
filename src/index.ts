// kafka-sim's public API. Everything a user may rely on is listed here by name; anything not exported here
// is internal and may change.

// The World: nodes running XState machines on one seed, one virtual clock and one message bus.
/** Creates a World from `{ seed, network?, trace? }`. */
export { createWorld, World, WORLD_NODE_ID } from './kernel/World.ts';
export type { WorldOptions, AddNodeOptions, RunUntilOptions } from './kernel/World.ts';
/** The seeded generator behind every random draw of a run. */
export { Rng } from './kernel/Rng.ts';
export type { Seed } from './kernel/Rng.ts';
/** Virtual time: XState's Clock and an RxJS scheduler on one `(timeMs, seq)` heap. */
export { VirtualClock } from './kernel/VirtualClock.ts';
/** The error a run fails with when a machine throws: node, event, virtual time and seed. */
export { SimulationError } from './kernel/SimulationError.ts';
/** The error a public API throws on misuse, naming the argument, the value and what is allowed. */
export { ArgumentError } from './kernel/argumentError.ts';
/** The machine contract: what a machine gets as input and what it emits. */
export type { NodeInput, HostEmitted, NodeNote, NodeStatus } from './kernel/NodeHost.ts';
/** Messages, envelopes and the bus events that `world.events$` streams. */
export type { Message, Envelope, BusEvent, ConnectionResetMessage } from './kernel/Bus.ts';
/** The network model's settings: latency distributions, loss, duplication, reordering. */
export { defaultLinkConfig } from './kernel/networkModel.ts';
export type { Latency, LatencySpike, LinkConfig, LinkOverride, NetworkConfig } from './kernel/networkModel.ts';
/** Partitions: symmetric groups, one-way, isolate one node, majorities ring. */
export type { PartitionSpec } from './kernel/partitions.ts';

// Faults as data.
/** Fault kinds and validation of fault schedules. */
export { faultKinds, validateFault, describeFault } from './faults/Fault.ts';
export type { Fault, FaultSchedule } from './faults/Fault.ts';

// The trace.
/** JSON with sorted keys: the text the trace and its hash are made of. */
export { stableStringify } from './history/stableStringify.ts';
export type { TraceEntry, TraceMode, DropReason } from './history/Trace.ts';

// Kafka's pure protocol rules.
/** Kafka's murmur2 (signed 32-bit, as `Utils.murmur2`) and `toPositive`. */
export { murmur2, toPositive } from './protocol/murmur2.ts';
/** The Java client's partition for a non-null key: `toPositive(murmur2(utf8(key))) % numPartitions`. */
export { partitionForKey } from './protocol/partitionForKey.ts';
/** The `__consumer_offsets` partition whose leader coordinates a group. */
export { coordinatorPartition } from './protocol/coordinatorPartition.ts';
/** The group leader's partition assignors (range, roundrobin, sticky, cooperative-sticky), with Java's member order. */
export { assignPartitions, assignmentStrategies } from '../actors/assignors/assignPartitions.ts';
export type { AssignmentStrategy } from '../actors/assignors/assignPartitions.ts';
export type { Assignment, AssignmentInput, AssignorMember } from '../actors/assignors/AssignmentInput.ts';
/** Java's `String.hashCode`. */
export { javaStringHashCode } from './protocol/javaStringHashCode.ts';
/** Kafka's error table: `{ type, code, retriable }` by name. */
export { kafkaErrors, isRetriable, errorByCode } from './protocol/errors.ts';
export type { KafkaError, KafkaErrorType } from './protocol/errors.ts';

// Scenarios: a Kafka cluster, its clients, faults and weakenings as plain data, run to verdicts.
/** Runs a scenario (checked and resolved first) through its safety and liveness phases to its verdicts. */
export { runScenario, runScenarioAsync } from './scenario/runScenario.ts';
/** Runs a scenario whose defaults are already filled in (what a replay capsule holds). */
export { runResolvedScenario, runResolvedScenarioAsync } from './scenario/runResolvedScenario.ts';
export type { RunnableScenario, RunOptions, RunResult } from './scenario/runResolvedScenario.ts';
/** Checks a scenario; throws a ScenarioError listing every issue (path, value, what is allowed). */
export { validateScenario } from './scenario/validateScenario.ts';
/** Checks a scenario and fills in its defaults. */
export { resolveScenario } from './scenario/resolveScenario.ts';
export type { ResolvedScenario } from './scenario/resolveScenario.ts';
/** The error an invalid scenario throws, with one issue per bad field. */
export { ScenarioError } from './scenario/ScenarioError.ts';
export type { ScenarioIssue } from './scenario/ScenarioError.ts';
/** The default phases of a run (startup, safety, quiet, final read). */
export { defaultDurations } from './scenario/Scenario.ts';
export type { AdminOperation, ConsumerSpec, Durations, KeySpec, ProducerSpec, ReaderSpec, Scenario, TopicSpec, WorkloadSpec } from './scenario/Scenario.ts';
/** The weakenings (known Kafka bugs as switches), each with the property it must break. */
export { weakeningNames, weakenings } from './scenario/weakenings.ts';
export type { PropertyName, Weakening, WeakeningName } from './scenario/weakenings.ts';
/** Replay capsules: everything needed to reproduce a run, and the replay that checks its traceHash. */
export { CAPSULE_FORMAT_VERSION, makeCapsule, replayCapsule } from './scenario/capsule.ts';
export type { ReplayCapsule } from './scenario/capsule.ts';
/** The Jepsen-style operation history clients record. */
export type { History, Operation, OperationFunction, OperationType } from './history/History.ts';
/** The rebalance log of consumer groups (RunResult.groupLog). */
export type { GroupLog, GroupLogEntry, GroupNote } from './history/GroupNote.ts';
/** The checkers' and invariants' verdicts. */
export type { CheckResult } from './checker/CheckResult.ts';
export type { CheckAllResult } from './checker/checkAll.ts';
export type { InvariantResult } from './checker/InvariantMonitor.ts';

/** Experiments that measure Kafka's textbook claims: tables, plots (SVG through Vega-Lite) and verdicts. */
export { experiments, experimentNames, markdownReport, markdownTable, plotSpec, renderSvg } from './experiments/index.ts';
export type { Experiment, ExperimentOptions, ExperimentPlot, ExperimentResult, ExperimentTable } from './experiments/index.ts';

// A fixture protocol for trying the World (not a Kafka role).
/** Ping/pong machines under the machine contract, with `after` timers and persisted state. */
export { pingerMachine, pongerMachine } from './fixtures/pingPong.ts';
