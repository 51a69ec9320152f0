import { experimentResult, type Experiment, type ExperimentOptions, type ExperimentResult } from './Experiment.ts';
import { oneTopicScenario, recordsRead, runFor, seedsOf, sendOutcomes } from './runs.ts';
import { bounded, estimate, formatEstimate, round } from './stats.ts';

/** Order within a partition, none across partitions. */
export const orderingExperiment: Experiment = {
  name: 'ordering',
  title: 'Order holds within a partition, not across partitions',
  claim: 'Kafka keeps the records of one partition in the order they were sent; a consumer reading several partitions sees records of different partitions interleaved out of send order.',
  run(options: ExperimentOptions): ExperimentResult {
    const partitionCounts = options.quick ? [1, 3] : [1, 2, 3, 6, 12];
    const records = options.quick ? 1_000 : 3_000;
    const rows = partitionCounts.map((partitions) => {
      const within: number[] = [];
      const across: number[] = [];
      let withinPairs = 0;
      let withinInversions = 0;
      for (const seed of seedsOf(options)) {
        const scenario = oneTopicScenario({ seed, partitions, records, ratePerSec: 1_000, keys: { kind: 'keyspace', size: 1_000 } });
        const result = runFor(scenario, options, `ordering: ${partitions} partitions, seed ${seed}`);
        const sendIndex = new Map<string, number>();
        for (const send of sendOutcomes(result.history).values()) sendIndex.set(send.value, sendIndex.size);
        // The order the reader consumed records in (each record the first time it saw it, live polls then the final read).
        const consumed = [...recordsRead(result.history).values()];
        const byPartition = new Map<number, number[]>();
        let crossPairs = 0;
        let crossInversions = 0;
        let previous: { partition: number; index: number } | undefined;
        for (const record of [...consumed].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
          const list = byPartition.get(record.partition) ?? [];
          list.push(sendIndex.get(record.value) ?? -1);
          byPartition.set(record.partition, list);
        }
        for (const record of consumed) {
          const index = sendIndex.get(record.value) ?? -1;
          if (previous !== undefined && previous.partition !== record.partition) {
            crossPairs++;
            if (index < previous.index) crossInversions++;
          }
          previous = { partition: record.partition, index };
        }
        let pairs = 0;
        let inversions = 0;
        for (const list of byPartition.values()) {
          for (let i = 1; i < list.length; i++) {
            pairs++;
            if ((list[i] as number) < (list[i - 1] as number)) inversions++;
          }
        }
        withinPairs += pairs;
        withinInversions += inversions;
        within.push(pairs === 0 ? 0 : (100 * inversions) / pairs);
        across.push(crossPairs === 0 ? 0 : (100 * crossInversions) / crossPairs);
      }
      return { partitions, within: bounded(estimate(within), 0, 100), across: bounded(estimate(across), 0, 100), withinPairs, withinInversions };
    });
    const agrees = rows.every((r) => r.withinInversions === 0) && rows.some((r) => r.partitions > 1 && r.across.mean > 0);
    return experimentResult(orderingExperiment, options, {
      method: `One idempotent acks=all producer sends ${records} keyed records at 1,000/s (3 brokers, RF 3, no faults); one reader reads every partition while they are written. Within a partition: consecutive offsets whose records were sent in the other order. Across partitions: consecutive records in the reader's consumption order, from different partitions, that were sent in the other order.`,
      table: {
        columns: [
          { key: 'partitions', title: 'partitions' },
          { key: 'within', title: 'within a partition: out of send order (%)' },
          { key: 'withinCount', title: 'within: inverted / pairs' },
          { key: 'across', title: 'across partitions: out of send order (%)' },
        ],
        rows: rows.map((r) => ({ partitions: r.partitions, within: formatEstimate(r.within, 2), withinCount: `${r.withinInversions} / ${r.withinPairs}`, across: formatEstimate(r.across, 1) })),
      },
      plot: {
        title: 'Records consumed out of send order',
        kind: 'bar',
        xTitle: 'partitions in the topic',
        yTitle: 'consecutive records out of send order (%)',
        seriesTitle: 'pairs',
        points: rows.flatMap((r) => [
          { x: String(r.partitions), y: round(r.within.mean, 2), low: round(r.within.low, 2), high: round(r.within.high, 2), series: 'within a partition' },
          { x: String(r.partitions), y: round(r.across.mean, 2), low: round(r.across.low, 2), high: round(r.across.high, 2), series: 'across partitions' },
        ]),
      },
      verdict: {
        agrees,
        summary: `Within a partition, ${rows.reduce((a, r) => a + r.withinInversions, 0)} of ${rows.reduce((a, r) => a + r.withinPairs, 0)} consecutive records were out of send order. Across partitions the reader saw ${rows.filter((r) => r.partitions > 1).map((r) => `${formatEstimate(r.across, 1)}% out of order with ${r.partitions} partitions`).join(', ')}: it reads a batch of one partition, then of the next.`,
      },
    });
  },
};
