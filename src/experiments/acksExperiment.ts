import type { Fault } from '../faults/Fault.ts';
import { experimentResult, type Experiment, type ExperimentOptions, type ExperimentResult } from './Experiment.ts';
import { oneTopicScenario, recordsRead, runFor, seedsOf, sendOutcomes, STARTUP_MS } from './runs.ts';
import { bounded, estimate, formatEstimate, percentile, round, type Estimate } from './stats.ts';

const PARTITIONS = 3;
const RATE = 500;

const levels = [
  { acks: '0', settings: { acks: 0, enableIdempotence: false } },
  { acks: '1', settings: { acks: 1, enableIdempotence: false } },
  { acks: 'all', settings: { acks: 'all', enableIdempotence: true } },
] as const;

/** Leader crashes every `everyMs` during the workload, each restarted `downMs` later, the partitions in turn. */
export function leaderCrashes(fromMs: number, toMs: number, everyMs: number, downMs: number, partitions: number, topic: string): Fault[] {
  const faults: Fault[] = [];
  for (let at = fromMs, i = 0; at < toMs; at += everyMs, i++) {
    const node = `leader:${topic}-${i % partitions}`;
    faults.push({ atMs: at, kind: 'crash', node }, { atMs: at + downMs, kind: 'restart', node });
  }
  return faults;
}

/** The cost of not losing data: acks=0, 1 and all under the same leader crashes. */
export const acksExperiment: Experiment = {
  name: 'acks',
  title: 'acks trades latency for durability',
  claim: 'acks=0 does not wait for the broker and acks=1 waits for the leader only, so both lose acknowledged records when a leader fails; acks=all (with min.insync.replicas=2) loses none, and pays for it in latency.',
  run(options: ExperimentOptions): ExperimentResult {
    const records = options.quick ? 3_000 : 10_000;
    const workloadEndMs = STARTUP_MS + (records / RATE) * 1_000;
    const faults = leaderCrashes(STARTUP_MS + 1_000, workloadEndMs, 2_500, 1_500, PARTITIONS, 'events');
    const rows = levels.map((level) => {
      const lost: number[] = [];
      const lostShare: number[] = [];
      const unacked: number[] = [];
      const p50: number[] = [];
      const p99: number[] = [];
      const quietP50: number[] = [];
      for (const seed of seedsOf(options)) {
        const quiet = oneTopicScenario({ seed, partitions: PARTITIONS, minInsyncReplicas: 2, records: 1_000, ratePerSec: RATE, keys: { kind: 'keyspace', size: 1_000 }, producerSettings: level.settings });
        const quietSends = [...sendOutcomes(runFor(quiet, options, `acks=${level.acks}, no faults, seed ${seed}`).history).values()].filter((s) => s.completedMs !== null && (s.type === 'ok' || s.type === 'info'));
        quietP50.push(percentile(quietSends.map((s) => (s.completedMs as number) - s.invokedMs), 50));
        const scenario = oneTopicScenario({
          seed,
          partitions: PARTITIONS,
          minInsyncReplicas: 2,
          records,
          ratePerSec: RATE,
          keys: { kind: 'keyspace', size: 1_000 },
          producerSettings: level.settings,
          faults,
        });
        const result = runFor(scenario, options, `acks=${level.acks}, seed ${seed}`);
        const read = recordsRead(result.history, result.finalReadStartMs);
        const sends = [...sendOutcomes(result.history).values()];
        // acks=0 completes a send once it is on the socket, with no offset: the history calls that `info`.
        const acked = sends.filter((s) => s.type === 'ok' || (level.acks === '0' && s.type === 'info'));
        const lostHere = acked.filter((s) => !read.has(s.value)).length;
        lost.push(lostHere);
        lostShare.push(acked.length === 0 ? 0 : (100 * lostHere) / acked.length);
        unacked.push(sends.length - acked.length);
        const latencies = acked.map((s) => (s.completedMs as number) - s.invokedMs);
        p50.push(percentile(latencies, 50));
        p99.push(percentile(latencies, 99));
      }
      return { acks: level.acks, quietP50: estimate(quietP50), lost: bounded(estimate(lost), 0), lostShare: bounded(estimate(lostShare), 0, 100), unacked: bounded(estimate(unacked), 0), p50: estimate(p50), p99: estimate(p99) };
    });
    const byAcks = (acks: string) => rows.find((r) => r.acks === acks) as (typeof rows)[number];
    const all = byAcks('all');
    const weaker = [byAcks('0'), byAcks('1')];
    const agrees = all.lost.mean === 0 && weaker.some((r) => r.lost.mean > 0) && all.quietP50.mean > byAcks('1').quietP50.mean && all.p50.mean > byAcks('1').p50.mean;
    const cell = (e: Estimate, digits = 1) => formatEstimate(e, digits);
    return experimentResult(acksExperiment, options, {
      method: `One producer sends ${records} keyed records at ${RATE}/s to ${PARTITIONS} partitions (3 brokers, RF 3, min.insync.replicas 2). Every 2.5 s of the workload the leader of the next partition crashes (process crash) and restarts 1.5 s later: the same schedule for each acks level. Acknowledged-but-lost: acknowledged to the producer, absent from the final read after the heal. Latency: send to acknowledgement, virtual ms, acknowledged records only; the no-fault latency comes from a separate run of 1,000 records without crashes. acks=0 and 1 run without idempotence (Kafka requires acks=all for it).`,
      table: {
        columns: [
          { key: 'acks', title: 'acks' },
          { key: 'lost', title: 'acknowledged but lost' },
          { key: 'lostShare', title: 'lost (% of acknowledged)' },
          { key: 'unacked', title: 'not acknowledged' },
          { key: 'p50', title: 'latency p50 (ms)' },
          { key: 'p99', title: 'latency p99 (ms)' },
          { key: 'quietP50', title: 'latency p50 without faults (ms)' },
        ],
        rows: rows.map((r) => ({ acks: r.acks, lost: cell(r.lost), lostShare: cell(r.lostShare, 2), unacked: cell(r.unacked), p50: cell(r.p50), p99: cell(r.p99), quietP50: cell(r.quietP50) })),
      },
      plot: {
        title: 'Acknowledged records lost to leader crashes',
        kind: 'bar',
        xTitle: 'acks',
        yTitle: 'acknowledged but lost (records per run, symlog scale)',
        ySymlog: true,
        points: rows.map((r) => ({ x: `acks=${r.acks}`, y: round(r.lost.mean, 2), low: round(r.lost.low, 2), high: round(r.lost.high, 2) })),
      },
      verdict: {
        agrees,
        summary: `acks=all lost ${cell(all.lost)} acknowledged records per run, acks=1 ${cell(byAcks('1').lost)}, acks=0 ${cell(byAcks('0').lost)}. The price: without faults a median acknowledgement takes ${cell(all.quietP50)} ms with acks=all (a follower's fetch round trip) against ${cell(byAcks('1').quietP50)} ms with acks=1; under the crashes, ${cell(all.p50)} ms against ${cell(byAcks('1').p50)} ms, because acks=all waits out every failover (the ISR must hold min.insync.replicas members) where acks=1 writes to whichever leader it finds.`,
      },
    });
  },
};
