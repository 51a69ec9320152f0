import { experimentResult, type Experiment, type ExperimentOptions, type ExperimentResult } from './Experiment.ts';
import { oneTopicScenario, runFor, seedsOf, sendOutcomes, STARTUP_MS } from './runs.ts';
import { bounded, estimate, formatEstimate, round } from './stats.ts';

const CRASH_AT_MS = STARTUP_MS + 5_000;
/** The producer's request.timeout.ms (Kafka's default). */
const REQUEST_TIMEOUT_MS = 30_000;

/** What the window should be: the session timeout, unless the producer cannot learn of the failure before its requests time out. */
function expectedWindowMs(kind: 'powerLoss' | 'crash', sessionTimeoutMs: number): number {
  return kind === 'crash' ? sessionTimeoutMs : Math.max(sessionTimeoutMs, REQUEST_TIMEOUT_MS);
}

/** Leader failover takes about the broker session timeout. */
export const failoverExperiment: Experiment = {
  name: 'failover',
  title: 'Leader failover waits for the broker session timeout',
  claim: 'When a partition leader fails, the controller elects a new leader from the ISR once the broker misses its session (broker.session.timeout.ms, 9 s by default); writes to the partition stop for about that long.',
  run(options: ExperimentOptions): ExperimentResult {
    const timeouts = options.quick ? [3_000, 9_000] : [2_000, 4_000, 6_000, 9_000, 12_000];
    const kinds = ['powerLoss', 'crash'] as const;
    const rows = kinds.flatMap((kind) =>
      timeouts.map((sessionTimeoutMs) => {
        const windows: number[] = [];
        for (const seed of seedsOf(options)) {
          const scenario = oneTopicScenario({
            seed,
            partitions: 1,
            minInsyncReplicas: 2,
            records: 6_000,
            ratePerSec: 200,
            keys: { kind: 'keyspace', size: 100 },
            controller: { brokerSessionTimeoutMs: sessionTimeoutMs },
            // The leader stays down past the measurement: the window is the election, not the restart.
            faults: [
              { atMs: CRASH_AT_MS, kind, node: 'leader:events-0' },
              { atMs: CRASH_AT_MS + 25_000, kind: 'restart', node: 'leader:events-0' },
            ],
          });
          const result = runFor(scenario, options, `failover: ${kind}, session ${sessionTimeoutMs} ms, seed ${seed}`);
          // The longest stretch without an acknowledgement around the failure (a response already on its way when
          // the leader died may still arrive just after it).
          const acks = [...sendOutcomes(result.history).values()]
            .filter((s) => s.type === 'ok')
            .map((s) => s.completedMs as number)
            .filter((t) => t >= CRASH_AT_MS - 1_000 && t <= CRASH_AT_MS + 40_000)
            .sort((a, b) => a - b);
          let longest = Number.NaN;
          for (let i = 1; i < acks.length; i++) longest = Math.max(Number.isNaN(longest) ? 0 : longest, (acks[i] as number) - (acks[i - 1] as number));
          windows.push(longest);
        }
        return { kind, sessionTimeoutMs, window: bounded(estimate(windows.filter(Number.isFinite)), 0), unfinished: windows.filter((w) => !Number.isFinite(w)).length };
      }),
    );
    // A broker's session ends a session timeout after its last heartbeat, which came up to one heartbeat interval
    // (2 s) before the failure.
    const agrees = rows.every((r) => r.unfinished === 0 && r.window.mean >= expectedWindowMs(r.kind, r.sessionTimeoutMs) - 2_500 && r.window.mean <= expectedWindowMs(r.kind, r.sessionTimeoutMs) + 4_000);
    const label = (kind: string) => (kind === 'powerLoss' ? 'power loss' : 'process crash');
    return experimentResult(failoverExperiment, options, {
      method: `One partition (3 brokers, RF 3, min.insync.replicas 2); an acks=all producer writes 200 records/s. ${CRASH_AT_MS / 1000} s in, the leader's machine loses power (or its process crashes) and stays down for 25 s. Unavailability: the longest time without an acknowledgement from 1 s before the failure to 40 s after. The broker heartbeats every 2 s (broker.heartbeat.interval.ms); the producer's request.timeout.ms is ${REQUEST_TIMEOUT_MS / 1000} s.`,
      table: {
        columns: [
          { key: 'kind', title: 'failure' },
          { key: 'session', title: 'broker.session.timeout.ms' },
          { key: 'window', title: 'writes unavailable (ms)' },
          { key: 'ratio', title: 'window / session timeout' },
          { key: 'expected', title: 'expected (ms)' },
        ],
        rows: rows.map((r) => ({ kind: label(r.kind), session: r.sessionTimeoutMs, window: formatEstimate(r.window, 0), ratio: round(r.window.mean / r.sessionTimeoutMs, 2), expected: expectedWindowMs(r.kind, r.sessionTimeoutMs) })),
      },
      plot: {
        title: 'Write unavailability after a leader failure',
        kind: 'line',
        xTitle: 'broker.session.timeout.ms',
        yTitle: 'writes unavailable (ms)',
        seriesTitle: 'failure',
        points: rows.map((r) => ({ x: r.sessionTimeoutMs, y: round(r.window.mean, 0), low: round(r.window.low, 0), high: round(r.window.high, 0), series: label(r.kind) })),
      },
      verdict: {
        agrees,
        summary: `${rows.map((r) => `${label(r.kind)}, session ${r.sessionTimeoutMs} ms: ${formatEstimate(r.window, 0)} ms`).join('; ')}. After a process crash the window follows the session timeout: the controller elects a new leader when the broker misses its session, and the producer, told at once by the closed connection, finds it with fresh metadata. After a power loss nothing tells the producer: its requests to the dead leader wait for request.timeout.ms (${REQUEST_TIMEOUT_MS / 1000} s) before it looks for the new leader, so the window is the longer of the two, as in Kafka.`,
      },
    });
  },
};
