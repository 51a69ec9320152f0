import { partitionForKey } from '../protocol/partitionForKey.ts';
import type { KeySpec } from '../scenario/Scenario.ts';
import { experimentResult, type Experiment, type ExperimentOptions, type ExperimentResult } from './Experiment.ts';
import { oneTopicScenario, recordsRead, runFor, seedsOf } from './runs.ts';
import { bounded, estimate, formatEstimate, round } from './stats.ts';

const PARTITIONS = 6;
const KEYS = 100;

interface Mode {
  label: string;
  keys: KeySpec;
  partitioner?: 'round-robin' | 'sticky';
}

const modes: Mode[] = [
  { label: `keyed (${KEYS} keys)`, keys: { kind: 'keyspace', size: KEYS } },
  { label: 'null keys, round-robin', keys: { kind: 'null' }, partitioner: 'round-robin' },
  { label: 'null keys, sticky', keys: { kind: 'null' }, partitioner: 'sticky' },
];

/** Same key, same partition; null keys spread evenly. */
export const keysExperiment: Experiment = {
  name: 'keys',
  title: 'Keys decide partitions',
  claim: 'A record with a key always lands in the partition murmur2(key) mod the partition count picks, so one key stays in one partition; records with null keys are spread over the partitions (round-robin, or sticky batches).',
  run(options: ExperimentOptions): ExperimentResult {
    const records = options.quick ? 600 : 3_000;
    const rows = modes.map((mode) => {
      const shares: number[][] = Array.from({ length: PARTITIONS }, () => []);
      const imbalance: number[] = [];
      let keysSplit = 0;
      let misplaced = 0;
      let read = 0;
      for (const seed of seedsOf(options)) {
        const scenario = oneTopicScenario({
          seed,
          partitions: PARTITIONS,
          records,
          ratePerSec: 1_000,
          keys: mode.keys,
          producerSettings: mode.partitioner === undefined ? {} : { partitioner: mode.partitioner },
        });
        const result = runFor(scenario, options, `keys: ${mode.label}, seed ${seed}`);
        const counts = new Array<number>(PARTITIONS).fill(0);
        const partitionsOfKey = new Map<string, Set<number>>();
        for (const record of recordsRead(result.history).values()) {
          counts[record.partition] = (counts[record.partition] ?? 0) + 1;
          read++;
          if (record.key === null) continue;
          if (record.partition !== partitionForKey(record.key, PARTITIONS)) misplaced++;
          let seen = partitionsOfKey.get(record.key);
          if (seen === undefined) partitionsOfKey.set(record.key, (seen = new Set()));
          seen.add(record.partition);
        }
        keysSplit += [...partitionsOfKey.values()].filter((s) => s.size > 1).length;
        const total = counts.reduce((a, b) => a + b, 0);
        counts.forEach((c, p) => shares[p]?.push((100 * c) / total));
        imbalance.push(Math.max(...counts) / (total / PARTITIONS));
      }
      return { mode, shares: shares.map((s) => bounded(estimate(s), 0, 100)), imbalance: bounded(estimate(imbalance), 1), keysSplit, misplaced, read };
    });
    const table = {
      columns: [
        { key: 'mode', title: 'Keys' },
        ...Array.from({ length: PARTITIONS }, (_, p) => ({ key: `p${p}`, title: `% in p${p}` })),
        { key: 'imbalance', title: 'busiest / mean' },
        { key: 'keysSplit', title: 'keys in >1 partition' },
        { key: 'misplaced', title: 'records off murmur2' },
        { key: 'read', title: 'records read' },
      ],
      rows: rows.map((r) => ({
        mode: r.mode.label,
        ...Object.fromEntries(r.shares.map((s, p) => [`p${p}`, formatEstimate(s, 1)])),
        imbalance: formatEstimate(r.imbalance),
        keysSplit: r.keysSplit,
        misplaced: r.misplaced,
        read: r.read,
      })),
    };
    const keyed = rows[0];
    const roundRobin = rows[1];
    const agrees = keyed !== undefined && roundRobin !== undefined && keyed.keysSplit === 0 && keyed.misplaced === 0 && roundRobin.imbalance.mean < 1.05;
    return experimentResult(keysExperiment, options, {
      method: `One producer sends ${records} records at 1,000/s to a topic of ${PARTITIONS} partitions (3 brokers, RF 3), no faults; a reader reads every partition back. Each record's partition is where the reader found it.`,
      table,
      plot: {
        title: 'Share of records per partition',
        kind: 'bar',
        xTitle: 'partition',
        yTitle: 'records in the partition (%)',
        seriesTitle: 'keys',
        points: rows.flatMap((r) => r.shares.map((s, p) => ({ x: `p${p}`, y: round(s.mean, 2), low: round(s.low, 2), high: round(s.high, 2), series: r.mode.label }))),
      },
      verdict: {
        agrees,
        summary: `Keyed records: ${keyed?.keysSplit ?? '?'} keys found in more than one partition and ${keyed?.misplaced ?? '?'} records off the partition murmur2 picks, over ${keyed?.read ?? '?'} records. Null keys round-robin: the busiest partition holds ${formatEstimate(roundRobin?.imbalance ?? estimate([0]))}x the mean. Keyed records are only as even as the keys hash (${KEYS} keys over ${PARTITIONS} partitions: ${formatEstimate(keyed?.imbalance ?? estimate([0]))}x); sticky null keys fill one partition per batch, so the busiest partition holds ${formatEstimate(rows[2]?.imbalance ?? estimate([0]))}x the mean over this run.`,
      },
    });
  },
};
