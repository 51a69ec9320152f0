import type { GenerationNote } from '../history/GroupNote.ts';
import type { RunResult } from '../scenario/runResolvedScenario.ts';
import { experimentResult, type Experiment, type ExperimentOptions, type ExperimentResult } from './Experiment.ts';
import { groupConsumers, oneTopicScenario, processedRecords, runFor, seedsOf, STARTUP_MS } from './runs.ts';
import { bounded, estimate, formatEstimate, round } from './stats.ts';

const PARTITIONS = 6;
const RATE = 600;
/** Each consumer processes at most 1000 / PROCESSING_MS records a second. */
const PROCESSING_MS = 10;
const WORKLOAD_MS = 20_000;
const CRASH_AT_MS = STARTUP_MS + 12_000;

function lastGeneration(result: RunResult, beforeMs = Infinity): GenerationNote | undefined {
  return result.groupLog.filter((e): e is GenerationNote & { timeMs: number; node: string } => 'group' in e && e.group === 'generation' && e.timeMs < beforeMs).at(-1);
}

/** Consumers beyond the partition count sit idle, and take over when an active one fails. */
export const groupSizingExperiment: Experiment = {
  name: 'group-sizing',
  title: 'A group uses at most one consumer per partition',
  claim: 'Each partition is consumed by one member of a group, so throughput grows with the number of consumers up to the partition count; consumers beyond it sit idle, and one of them takes over when an active member fails.',
  run(options: ExperimentOptions): ExperimentResult {
    const sizes = options.quick ? [1, 3, 6, 8] : [1, 2, 3, 4, 6, 8, 10];
    const records = (RATE * WORKLOAD_MS) / 1_000;
    const consumerSettings = { processingTimeMs: PROCESSING_MS, partitionAssignmentStrategy: ['range'] };
    const scenarioFor = (seed: number, consumers: number, faults: ReturnType<typeof oneTopicScenario>['faults'] = []) =>
      oneTopicScenario({ seed, partitions: PARTITIONS, records, ratePerSec: RATE, keys: { kind: 'keyspace', size: 1_000 }, consumers: groupConsumers(consumers, consumerSettings), readers: 1, faults, tailMs: 10_000 });
    const rows = sizes.map((size) => {
      const throughput: number[] = [];
      const active: number[] = [];
      const takeover: number[] = [];
      for (const seed of seedsOf(options)) {
        const result = runFor(scenarioFor(seed, size), options, `group-sizing: ${size} consumers, seed ${seed}`);
        // Steady state: from 5 s into the workload to its end.
        const fromMs = STARTUP_MS + 5_000;
        const toMs = STARTUP_MS + WORKLOAD_MS;
        const processed = processedRecords(result.groupLog).filter((r) => r.timeMs >= fromMs && r.timeMs < toMs).length;
        throughput.push((processed * 1_000) / (toMs - fromMs));
        const generation = lastGeneration(result, toMs);
        active.push(generation === undefined ? 0 : Object.values(generation.assignments).filter((parts) => parts.length > 0).length);
        if (size <= PARTITIONS) continue;
        // With idle members: crash an active one (the owner of partition 0 before the crash) and time the takeover.
        const before = lastGeneration(result, CRASH_AT_MS);
        const owner = before === undefined ? undefined : Object.entries(before.assignments).find(([, parts]) => parts.includes(`events-0`))?.[0];
        const ownerNode = owner === undefined ? undefined : result.groupLog.find((e) => 'group' in e && e.group === 'owned' && 'memberId' in e && e.memberId === owner)?.node;
        if (ownerNode === undefined) continue;
        const crashed = runFor(scenarioFor(seed, size, [{ atMs: CRASH_AT_MS, kind: 'crash', node: ownerNode }]), options, `group-sizing: ${size} consumers, crash ${ownerNode}, seed ${seed}`);
        const resumed = processedRecords(crashed.groupLog).find((r) => r.timeMs > CRASH_AT_MS && r.partition === 0 && r.node !== ownerNode);
        if (resumed !== undefined) takeover.push(resumed.timeMs - CRASH_AT_MS);
      }
      return { size, throughput: bounded(estimate(throughput), 0), active: estimate(active), takeover: takeover.length === 0 ? undefined : estimate(takeover) };
    });
    const capacity = (n: number) => Math.min(n, PARTITIONS) * (1_000 / PROCESSING_MS);
    const agrees = rows.every((r) => Math.round(r.active.mean) === Math.min(r.size, PARTITIONS)) && rows.filter((r) => r.size > PARTITIONS).every((r) => r.takeover !== undefined);
    return experimentResult(groupSizingExperiment, options, {
      method: `${PARTITIONS} partitions (3 brokers, RF 3); a producer writes ${RATE} records/s for ${WORKLOAD_MS / 1000} s; each consumer spends ${PROCESSING_MS} ms on a record (at most ${1_000 / PROCESSING_MS} records/s), range assignor, session.timeout.ms 10 s. Throughput: records processed per virtual second from 5 s into the workload to its end. With more consumers than partitions, a second run crashes the member that owns partition 0, ${(CRASH_AT_MS - STARTUP_MS) / 1000} s into the workload; takeover is the time until another member processes partition 0.`,
      table: {
        columns: [
          { key: 'size', title: 'consumers' },
          { key: 'active', title: 'active' },
          { key: 'idle', title: 'idle' },
          { key: 'throughput', title: 'processed records/s' },
          { key: 'capacity', title: 'min(consumers, partitions) x per-consumer rate' },
          { key: 'takeover', title: 'takeover after a crash (ms)' },
        ],
        rows: rows.map((r) => ({
          size: r.size,
          active: round(r.active.mean, 1),
          idle: round(r.size - r.active.mean, 1),
          throughput: formatEstimate(r.throughput, 0),
          capacity: Math.min(capacity(r.size), RATE),
          takeover: r.takeover === undefined ? '' : formatEstimate(r.takeover, 0),
        })),
      },
      plot: {
        title: `Group throughput against size (${PARTITIONS} partitions)`,
        kind: 'line',
        xTitle: 'consumers in the group',
        yTitle: 'records processed per second',
        points: rows.map((r) => ({ x: r.size, y: round(r.throughput.mean, 1), low: round(r.throughput.low, 1), high: round(r.throughput.high, 1) })),
      },
      verdict: {
        agrees,
        summary: `${rows.map((r) => `${r.size} consumer${r.size === 1 ? '' : 's'}: ${round(r.active.mean, 1)} active, ${formatEstimate(r.throughput, 0)} records/s`).join('; ')}. Beyond ${PARTITIONS} consumers the extra members own nothing and throughput stops growing; ${rows.filter((r) => r.takeover !== undefined).map((r) => `with ${r.size}, an idle member took partition 0 over ${formatEstimate(r.takeover as ReturnType<typeof estimate>, 0)} ms after its owner crashed`).join('; ')} (session.timeout.ms 10 s, then a rebalance).`,
      },
    });
  },
};
