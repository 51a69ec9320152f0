import type { World } from '../kernel/World.ts';
import type { GenerationNote } from '../history/GroupNote.ts';
import { experimentResult, type Experiment, type ExperimentOptions, type ExperimentResult } from './Experiment.ts';
import { groupConsumers, oneTopicScenario, processedRecords, runFor, seedsOf, STARTUP_MS } from './runs.ts';
import { bounded, estimate, formatEstimate, round } from './stats.ts';

const RATE = 1_000;
const PROCESSING_MS = 10;
const WORKLOAD_MS = 20_000;
/** Throughput is measured from this far into the workload (after the first rebalance and its backlog) to its end. */
const STEADY_FROM_MS = 10_000;
/** The messages of the group protocol: finding the coordinator, membership, heartbeats and offsets. */
const COORDINATION = /^(findCoordinator|joinGroup|syncGroup|heartbeat|leaveGroup|offsetCommit|offsetFetch)\./;

/** Partitions = consumers, from 1 to 1,000. */
export const scalingExperiment: Experiment = {
  name: 'scaling',
  title: 'Where more partitions stop helping',
  claim: 'Partitions are the unit of parallelism: with as many consumers as partitions, throughput grows with the partition count until something else (here the producers\' rate) is the limit, while coordination grows with every member: heartbeats, commits, and a rebalance that takes longer the more members it must gather.',
  run(options: ExperimentOptions): ExperimentResult {
    const sizes = options.quick ? [1, 5, 50] : [1, 5, 50, 200, 1_000];
    const records = (RATE * WORKLOAD_MS) / 1_000;
    const rows = sizes.map((n) => {
      const throughput: number[] = [];
      const rebalanceMs: number[] = [];
      const coordination: number[] = [];
      const seeds = seedsOf(options).slice(0, n >= 200 ? 1 : options.seeds);
      for (const seed of seeds) {
        let coordinationMessages = 0;
        let firstMs = Infinity;
        let lastMs = 0;
        const onWorld = (world: World) =>
          world.events$.subscribe((event) => {
            if (event.kind !== 'delivered' || !COORDINATION.test(event.envelope.message.type)) return;
            coordinationMessages++;
            firstMs = Math.min(firstMs, event.atMs);
            lastMs = Math.max(lastMs, event.atMs);
          });
        const scenario = oneTopicScenario({
          seed,
          partitions: n,
          replicationFactor: 1,
          records,
          ratePerSec: RATE,
          keys: { kind: 'null' },
          consumers: groupConsumers(n, { processingTimeMs: PROCESSING_MS, partitionAssignmentStrategy: ['range'] }),
          readers: 0,
          tailMs: 5_000,
        });
        const result = runFor(scenario, options, `scaling: ${n} partitions and consumers, seed ${seed}`, { onWorld });
        const fromMs = STARTUP_MS + STEADY_FROM_MS;
        const toMs = STARTUP_MS + WORKLOAD_MS;
        throughput.push((processedRecords(result.groupLog).filter((r) => r.timeMs >= fromMs && r.timeMs < toMs).length * 1_000) / (toMs - fromMs));
        const full = result.groupLog.find((e): e is GenerationNote & { timeMs: number; node: string } => 'group' in e && e.group === 'generation' && Object.values(e.assignments).filter((parts) => parts.length > 0).length === n);
        if (full !== undefined) rebalanceMs.push(full.timeMs - STARTUP_MS);
        coordination.push(lastMs > firstMs ? (coordinationMessages * 1_000) / (lastMs - firstMs) : 0);
      }
      return { n, seeds: seeds.length, throughput: bounded(estimate(throughput), 0), rebalance: rebalanceMs.length === 0 ? undefined : estimate(rebalanceMs), coordination: estimate(coordination) };
    });
    const peak = Math.max(...rows.map((r) => r.throughput.mean));
    const agrees = rows.every((r, i) => i === 0 || r.coordination.mean > (rows[i - 1]?.coordination.mean ?? 0)) && rows.some((r) => r.throughput.mean >= 0.8 * Math.min(RATE, r.n * (1_000 / PROCESSING_MS)));
    return experimentResult(scalingExperiment, options, {
      method: `A topic of n partitions (3 brokers, RF 1) and a group of n consumers (range assignor, ${PROCESSING_MS} ms a record, at most ${1_000 / PROCESSING_MS} records/s each); a producer writes ${RATE} records/s round-robin for ${WORKLOAD_MS / 1000} s. Throughput: records processed per virtual second from ${STEADY_FROM_MS / 1000} s into the workload to its end. Rebalance: from subscription to the first generation in which all n members own a partition (group.initial.rebalance.delay.ms is 3 s). Coordination: group-protocol messages (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, OffsetCommit, OffsetFetch, LeaveGroup; requests and responses) per virtual second. 200 and 1,000 run one seed.`,
      table: {
        columns: [
          { key: 'n', title: 'partitions = consumers' },
          { key: 'throughput', title: 'processed records/s' },
          { key: 'rebalance', title: 'first full generation (ms)' },
          { key: 'coordination', title: 'coordination messages/s' },
          { key: 'seeds', title: 'seeds' },
        ],
        rows: rows.map((r) => ({ n: r.n, throughput: formatEstimate(r.throughput, 0), rebalance: r.rebalance === undefined ? 'never' : formatEstimate(r.rebalance, 0), coordination: formatEstimate(r.coordination, 1), seeds: r.seeds })),
      },
      plot: {
        title: 'Throughput and coordination as partitions grow',
        kind: 'line',
        xLog: true,
        xTitle: 'partitions = consumers (log scale)',
        yTitle: 'per virtual second',
        seriesTitle: 'measure',
        points: rows.flatMap((r) => [
          { x: r.n, y: round(r.throughput.mean, 1), low: round(r.throughput.low, 1), high: round(r.throughput.high, 1), series: 'records processed' },
          { x: r.n, y: round(r.coordination.mean, 1), low: round(r.coordination.low, 1), high: round(r.coordination.high, 1), series: 'coordination messages' },
        ]),
      },
      verdict: {
        agrees,
        summary: `${rows.map((r) => `${r.n}: ${formatEstimate(r.throughput, 0)} records/s, ${formatEstimate(r.coordination, 0)} coordination messages/s, full generation after ${r.rebalance === undefined ? 'never' : `${formatEstimate(r.rebalance, 0)} ms`}`).join('; ')}. Throughput stops growing at ${round(peak, 0)} records/s (the producer's ${RATE}/s) while coordination keeps growing with the member count.`,
      },
    });
  },
};
