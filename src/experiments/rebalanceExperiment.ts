import type { Fault } from '../faults/Fault.ts';
import type { AdminOperation, ConsumerSpec } from '../scenario/Scenario.ts';
import { experimentResult, type Experiment, type ExperimentOptions, type ExperimentResult } from './Experiment.ts';
import { groupConsumers, oneTopicScenario, partitionStalls, runFor, seedsOf, STARTUP_MS } from './runs.ts';
import { bounded, estimate, formatEstimate, round, type Estimate } from './stats.ts';

const PARTITIONS = 6;
const RATE = 300;
const EVENT_AT_MS = STARTUP_MS + 10_000;
const WINDOW_MS = 30_000;
const SESSION_TIMEOUT_MS = 10_000;
/** A partition normally sees a record every 1000 * 6 / 300 = 20 ms: ten times that is a stall. */
const STALL_MS = 200;

interface Change {
  label: string;
  consumers: (settings: Record<string, unknown>) => ConsumerSpec[];
  faults?: Fault[];
  operations?: AdminOperation[];
}

const changes: Change[] = [
  {
    label: 'a member joins',
    consumers: (settings) => [...groupConsumers(3, settings), ...groupConsumers(4, settings, { startMs: EVENT_AT_MS }).slice(3)],
  },
  { label: 'a member leaves cleanly', consumers: (settings) => groupConsumers(3, settings).map((c, i) => (i === 2 ? { ...c, stopMs: EVENT_AT_MS } : c)) },
  { label: 'a member crashes', consumers: (settings) => groupConsumers(3, settings), faults: [{ atMs: EVENT_AT_MS, kind: 'crash', node: 'consumer-3' }] },
  {
    label: 'partitions are added',
    consumers: (settings) => groupConsumers(3, settings),
    operations: [{ atMs: EVENT_AT_MS, kind: 'createPartitions', topic: 'events', totalCount: PARTITIONS + 3 }],
  },
];

const protocols = [
  { label: 'eager (range)', strategy: ['range'] },
  { label: 'cooperative (cooperative-sticky)', strategy: ['cooperative-sticky'] },
];

/** The consumption pause a rebalance costs, eager against cooperative. */
export const rebalanceExperiment: Experiment = {
  name: 'rebalance',
  title: 'What a rebalance costs',
  claim: 'A group rebalances when a member joins, leaves or fails, or partitions are added. Under the eager protocol every member stops consuming until the rebalance ends; cooperative rebalancing (KIP-429) stops only the partitions that move. A crashed member\'s partitions wait for session.timeout.ms; a member that leaves cleanly hands them over at once.',
  run(options: ExperimentOptions): ExperimentResult {
    const records = (RATE * (EVENT_AT_MS - STARTUP_MS + WINDOW_MS)) / 1_000;
    const rows = changes.flatMap((change) =>
      protocols.map((protocol) => {
        const longest: number[] = [];
        const stalled: number[] = [];
        for (const seed of seedsOf(options)) {
          const settings = { processingTimeMs: 2, partitionAssignmentStrategy: protocol.strategy, metadataMaxAgeMs: 2_000 };
          const scenario = oneTopicScenario({
            seed,
            partitions: PARTITIONS,
            records,
            ratePerSec: RATE,
            keys: { kind: 'null' },
            producerSettings: { metadataMaxAgeMs: 2_000 },
            consumers: change.consumers(settings),
            faults: change.faults ?? [],
            ...(change.operations === undefined ? {} : { operations: change.operations }),
          });
          const result = runFor(scenario, options, `rebalance: ${change.label}, ${protocol.label}, seed ${seed}`);
          // The partitions that existed before the change.
          const stalls = [...partitionStalls(result.groupLog, Array.from({ length: PARTITIONS }, (_, p) => p), EVENT_AT_MS - 1_000, EVENT_AT_MS + WINDOW_MS - 5_000, STALL_MS).values()];
          longest.push(Math.max(...stalls.map((s) => s.longestMs)));
          stalled.push(stalls.reduce((sum, s) => sum + s.stalledMs, 0) / 1_000);
        }
        return { change: change.label, protocol: protocol.label, longest: bounded(estimate(longest), 0), stalled: bounded(estimate(stalled), 0) };
      }),
    );
    const find = (change: string, protocol: string) => rows.find((r) => r.change === change && r.protocol.startsWith(protocol)) as (typeof rows)[number];
    const crash = find('a member crashes', 'eager');
    const leave = find('a member leaves cleanly', 'eager');
    const joinEager = find('a member joins', 'eager');
    const joinCoop = find('a member joins', 'cooperative');
    const addEager = find('partitions are added', 'eager');
    const addCoop = find('partitions are added', 'cooperative');
    const agrees = crash.longest.mean >= SESSION_TIMEOUT_MS * 0.9 && leave.longest.mean < crash.longest.mean && joinCoop.stalled.mean < joinEager.stalled.mean && addCoop.stalled.mean < addEager.stalled.mean;
    const cell = (e: Estimate, digits = 0) => formatEstimate(e, digits);
    return experimentResult(rebalanceExperiment, options, {
      method: `${PARTITIONS} partitions, 3 consumers (session.timeout.ms 10 s, heartbeat.interval.ms 3 s, 2 ms a record), a producer writing ${RATE} records/s round-robin (each partition gets one every 20 ms). ${(EVENT_AT_MS - STARTUP_MS) / 1000} s into the workload one change happens. For each partition that existed before the change, from 1 s before it to ${(WINDOW_MS - 5_000) / 1000} s after: the longest time without a processed record (the longest over partitions), and the partition-seconds stalled (gaps over ${STALL_MS} ms, summed over partitions).`,
      table: {
        columns: [
          { key: 'change', title: 'change' },
          { key: 'protocol', title: 'rebalance protocol' },
          { key: 'longest', title: 'longest partition pause (ms)' },
          { key: 'stalled', title: 'partition-seconds stalled' },
        ],
        rows: rows.map((r) => ({ change: r.change, protocol: r.protocol, longest: cell(r.longest), stalled: cell(r.stalled, 1) })),
      },
      plot: {
        title: 'Consumption stalled by a rebalance',
        kind: 'bar',
        xTitle: 'change to the group',
        yTitle: 'partition-seconds stalled',
        seriesTitle: 'protocol',
        points: rows.map((r) => ({ x: r.change, y: round(r.stalled.mean, 2), low: round(r.stalled.low, 2), high: round(r.stalled.high, 2), series: r.protocol })),
      },
      verdict: {
        agrees,
        summary: `A crashed member's partitions stopped for ${cell(crash.longest)} ms (session.timeout.ms is 10 s); a clean leave cost ${cell(leave.longest)} ms. Partition-seconds stalled when a member joins: eager ${cell(joinEager.stalled, 1)}, cooperative ${cell(joinCoop.stalled, 1)}; when partitions are added: eager ${cell(addEager.stalled, 1)}, cooperative ${cell(addCoop.stalled, 1)}.`,
      },
    });
  },
};
