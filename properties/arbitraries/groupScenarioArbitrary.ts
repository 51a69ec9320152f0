import fc from 'fast-check';
import type { AssignmentStrategy } from '../../actors/assignors/assignPartitions.ts';
import type { Fault } from '../../src/faults/Fault.ts';
import type { RunnableScenario } from '../../src/scenario/runResolvedScenario.ts';
import { kafkaSpecOf, type KafkaProfileName } from '../../src/scenario/kafkaProfile.ts';
import type { WeakeningName } from '../../src/scenario/weakenings.ts';
import { coordinatorPartition } from '../../src/protocol/coordinatorPartition.ts';
import { CONSUMER_OFFSETS_TOPIC } from '../../src/protocol/groupMessages.ts';
import { toSchedule, type FaultWindow, type WindowFaults } from './faultScheduleArbitrary.ts';
import { fitFaults, foldNumbered } from './fitFaults.ts';
import { drawnBrokerSettings, withoutOneWindow } from './kafkaFaultScheduleArbitrary.ts';
import { fewerRecords } from './fewerRecords.ts';
import { smallSubsets, withExtraShrinks, withLastResortShrinks } from './withExtraShrinks.ts';

/** Options of `groupScenarioArbitrary`. */
export interface GroupScenarioConstraints {
  weakenings?: readonly WeakeningName[];
  /** Most fault windows per scenario; default 4. */
  maxFaultWindows?: number;
  /** The Kafka version profile every drawn scenario runs; default the scenarios' default (4.1). */
  kafkaVersion?: KafkaProfileName;
  /** Whether clean shutdowns of consumers and of the coordinator's broker are drawn too; default false. */
  shutdowns?: boolean;
}

const startupMs = 5_000;
const safetyMs = 30_000;
const GROUP = 'g';
const MAX_CONSUMERS = 4;
const allConsumerIds = Array.from({ length: MAX_CONSUMERS }, (_, i) => `consumer-${i + 1}`);
/** The longest the workload runs. */
const MAX_SPREAD_MS = 20_000;

type Membership = 'dynamic' | 'static' | 'twin';

// The assignors a group is drawn with: each of Kafka's four alone (cooperative-sticky alone is COOPERATIVE).
const strategies: readonly AssignmentStrategy[][] = [['range'], ['roundrobin'], ['sticky'], ['cooperative-sticky']];

/**
 * Consumer-group scenarios as structure that shrinks: 3 brokers, one topic (1-4 partitions, RF 3, min ISR 2),
 * one acks=all producer, a group of 1-4 consumers with one assignor (eager or cooperative) that join at drawn
 * times and may close early (one always runs to the end), dynamic or static members (sometimes two processes with
 * one group.instance.id), short session and poll timeouts, records that take
 * drawn time to process, and membership faults: a consumer crashing and restarting, pausing past its session
 * (a zombie when it wakes), cut off from the cluster, and the group's coordinator crashing, pausing or cut off.
 */
export function groupScenarioArbitrary(constraints: GroupScenarioConstraints = {}): fc.Arbitrary<RunnableScenario> {
  const consumer = fc.record({
    startSec: fc.integer({ min: 0, max: 15 }),
    stopSec: fc.option(fc.integer({ min: 2, max: 20 }), { nil: undefined, freq: 4 }),
  });
  return fc
    .record({
      seed: fc.noShrink(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
      partitions: fc.integer({ min: 1, max: 4 }),
      // The records and the time between them: records shrink from the end (the first k sent at the same times
      // whatever k is) and from the front (fewerRecords), so a failure that needs one late record keeps only it.
      workload: withExtraShrinks(
        // A tuple, not a record: fc.record nested here would draw differently, and change the runs every seed explores.
        fc
          .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom(50, 100, 150, 200, 500, 1_000))
          .map(([records, intervalMs]): { records: number; intervalMs: number; firstRecord?: number } => ({ records, intervalMs })),
        (w) => fewerRecords(w, Math.floor(MAX_SPREAD_MS / w.intervalMs)),
      ),
      consumers: fc.array(consumer, { minLength: 1, maxLength: MAX_CONSUMERS }),
      strategy: fc.constantFrom(...strategies),
      processingTimeMs: fc.constantFrom(5, 50, 200),
      // Static membership (KIP-345): none, every member with its own group.instance.id, or the last consumer
      // started with the first one's instance id (a replacement deployed while the first still runs).
      membership: fc.constantFrom<Membership>('dynamic', 'dynamic', 'static', 'twin'),
      autoCommitIntervalMs: fc.constantFrom(500, 2_000, 5_000),
      // Drawn for the largest group and fitted to the drawn one, so fewer consumers keep the same faults.
      faults: groupFaultScheduleArbitrary(allConsumerIds, constraints.maxFaultWindows ?? 4, constraints.shutdowns === true),
    })
    .map((shape): RunnableScenario => {
      const consumerIds = shape.consumers.map((_, i) => `consumer-${i + 1}`);
      const schedule = fitFaults(shape.faults, foldNumbered(/^(consumer-)(\d+)()$/, consumerIds.length, 1));
      const { intervalMs, firstRecord } = shape.workload;
      const records = Math.min(shape.workload.records, Math.floor(MAX_SPREAD_MS / intervalMs));
      return {
        seed: shape.seed,
        brokers: 3,
        topics: [{ name: 'events', partitions: shape.partitions, replicationFactor: 3, minInsyncReplicas: 2 }],
        producers: [
          {
            id: 'producer-1',
            settings: { requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 },
            workload: { topic: 'events', records, ratePerSec: 1_000 / intervalMs, keys: { kind: 'keyspace', size: 16 }, ...(firstRecord === undefined ? {} : { firstRecord }) },
          },
        ],
        readers: [{ id: 'reader-1', topics: ['events'], settings: { requestTimeoutMs: 5_000 } }],
        consumers: shape.consumers.map((c, i) => {
          const last = shape.consumers.length - 1;
          const twin = shape.membership === 'twin' && i > 0 && i === last;
          // The replacement is deployed as another member joins (so the group may be rebalancing), and the
          // member it replaces runs to the end too: whichever is fenced, one of them is left to drain the group.
          const startSec = twin ? (shape.consumers[Math.min(1, last - 1)]?.startSec ?? c.startSec) : c.startSec;
          const startMs = startupMs + startSec * 1_000;
          const groupInstanceId = shape.membership === 'dynamic' ? undefined : `instance-${twin ? 1 : i + 1}`;
          // The last consumer runs to the end, so the group has someone to drain it after the heal.
          const runsToTheEnd = i === last || (shape.membership === 'twin' && i === 0) || c.stopSec === undefined;
          const stopMs = runsToTheEnd ? undefined : Math.min(safetyMs, startMs + (c.stopSec ?? 0) * 1_000);
          return {
            id: consumerIds[i] as string,
            groupId: GROUP,
            topics: ['events'],
            startMs,
            ...(stopMs === undefined ? {} : { stopMs }),
            settings: {
              partitionAssignmentStrategy: shape.strategy,
              autoOffsetReset: 'earliest',
              sessionTimeoutMs: 6_000,
              heartbeatIntervalMs: 1_000,
              maxPollIntervalMs: 15_000,
              autoCommitIntervalMs: shape.autoCommitIntervalMs,
              processingTimeMs: shape.processingTimeMs,
              maxPollRecords: 50,
              requestTimeoutMs: 5_000,
              ...(groupInstanceId === undefined ? {} : { groupInstanceId }),
            },
          };
        }),
        broker: { ...drawnBrokerSettings(constraints.kafkaVersion), groupInitialRebalanceDelayMs: 500 },
        controller: { offsetsTopicNumPartitions: 3 },
        // A window still open when the safety phase ends is closed by the liveness phase (heal, restart, resume).
        faults: schedule.map((fault) => ({ ...fault, atMs: fault.atMs + startupMs })).filter((fault) => fault.atMs < safetyMs),
        weakenings: [...(constraints.weakenings ?? [])],
        durations: { startupMs, safetyMs, quietMs: 30_000, finalReadMs: 30_000, quietEnds: 'settled' },
        invariantSampleMs: 500,
        ...(constraints.kafkaVersion === undefined ? {} : { kafka: kafkaSpecOf(constraints.kafkaVersion) }),
      };
    });
}

/**
 * Membership faults for a group: a consumer or the group's coordinator crashes (and restarts), pauses (and
 * resumes; past session.timeout.ms a consumer comes back a zombie), or is cut off from everyone (and healed); and,
 * one element in six, the coordinator crashes while cut off from its followers (`coordinatorCutThenCrash`).
 */
export function groupFaultScheduleArbitrary(consumerIds: readonly string[], maxWindows: number, shutdowns = false): fc.Arbitrary<Fault[]> {
  const target = fc.oneof({ arbitrary: fc.constantFrom(...consumerIds), weight: 3 }, { arbitrary: fc.constant(`coordinator:${GROUP}`), weight: 1 });
  const arms: Array<{ arbitrary: fc.Arbitrary<WindowFaults>; weight: number }> = [
    { arbitrary: target.map((node): WindowFaults => ({ open: { kind: 'crash', node }, close: { kind: 'restart', node } }) as WindowFaults), weight: 2 },
    { arbitrary: target.map((node): WindowFaults => ({ open: { kind: 'pause', node }, close: { kind: 'resume', node } }) as WindowFaults), weight: 3 },
    { arbitrary: target.map((node): WindowFaults => ({ open: { kind: 'partition', isolate: node }, close: { kind: 'heal' } }) as WindowFaults), weight: 1 },
  ];
  // Only when asked: another arm would change what every seed draws.
  if (shutdowns) arms.push({ arbitrary: target.map((node): WindowFaults => ({ open: { kind: 'shutdown', node }, close: { kind: 'restart', node } }) as WindowFaults), weight: 2 });
  const nemesis = fc.oneof(...arms);
  const startMs = fc.integer({ min: 0, max: safetyMs - startupMs - 1 });
  const window = fc
    .record({ startMs, durationMs: fc.integer({ min: 1, max: 15_000 }), faults: nemesis })
    .map(({ startMs: at, durationMs, faults }): FaultWindow[] => [{ startMs: at, durationMs, ...faults }]);
  // The cut-then-crash pattern is drawn whole and shrinks window by window too.
  const element = fc.oneof({ arbitrary: window, weight: 5 }, { arbitrary: withExtraShrinks(coordinatorCutThenCrash(startMs), withoutOneWindow), weight: 1 });
  // Once no single step keeps the failure, one, two or three of the windows alone are tried (a pattern's two apart too).
  return withLastResortShrinks(fc.array(element, { maxLength: maxWindows }).map((drawn) => drawn.flat()), smallSubsets).map(toSchedule);
}

// The group's __consumer_offsets partition in the drawn scenarios (offsetsTopicNumPartitions 3).
const OFFSETS_PARTITION = `${CONSUMER_OFFSETS_TOPIC}-${coordinatorPartition(GROUP, 3)}`;

/**
 * The coordinator's fragile moment: it is cut off from its `__consumer_offsets` followers (the consumers and the
 * controller still reach it) and crashes before the cut heals, so whatever it acknowledged during the cut must
 * already be on a follower that can take over (offsets.commit.required.acks=-1; a SyncGroup answered only once
 * the assignment's record commits). One element of the schedule, so that it shrinks as one: the crash earlier in
 * the cut, both windows shorter.
 */
function coordinatorCutThenCrash(startMs: fc.Arbitrary<number>): fc.Arbitrary<FaultWindow[]> {
  const coordinator = `coordinator:${GROUP}`;
  const cut = { kind: 'partition', groups: [[`leader:${OFFSETS_PARTITION}`], [`followers:${OFFSETS_PARTITION}`]] } as const;
  const crashWindow = { open: { kind: 'crash', node: coordinator }, close: { kind: 'restart', node: coordinator } } as WindowFaults;
  return fc
    .record({ startMs, cutMs: fc.integer({ min: 1, max: 8_000 }), crashAfterMs: fc.integer({ min: 0, max: 8_000 }), downMs: fc.integer({ min: 1, max: 12_000 }) })
    .map(({ startMs: at, cutMs, crashAfterMs, downMs }): FaultWindow[] => [
      { startMs: at, durationMs: cutMs, open: cut, close: { kind: 'heal' } },
      { startMs: at + Math.min(crashAfterMs, cutMs), durationMs: downMs, ...crashWindow },
    ]);
}
