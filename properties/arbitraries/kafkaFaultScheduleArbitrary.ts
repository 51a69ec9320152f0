import fc from 'fast-check';
import type { Fault } from '../../src/faults/Fault.ts';
import { brokerNodeId, CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import { toSchedule, type FaultWindow, type WindowFaults } from './faultScheduleArbitrary.ts';
import { smallSubsets, withExtraShrinks, withLastResortShrinks } from './withExtraShrinks.ts';
import { isZooKeeperMode, kafkaSpecOf, type KafkaProfileName } from '../../src/scenario/kafkaProfile.ts';

/** Options of `kafkaFaultScheduleArbitrary`. */
export interface KafkaFaultScheduleConstraints {
  /** The cluster's partitions, `topic-partition`. */
  partitions: readonly string[];
  brokers: number;
  /** Windows start in [0, horizonMs). */
  horizonMs: number;
  maxWindows: number;
  maxDurationMs: number;
  /** Whether to draw power losses (a crash that also drops what the page cache held). */
  powerLoss: boolean;
  /** Whether to draw clean shutdowns too (a `shutdown` and its restart: controlled shutdown, a rolling restart). */
  shutdowns?: boolean;
}

/**
 * Fault schedules for a Kafka cluster, in the manner of Jepsen's nemesis packages: most faults aim at roles
 * (a partition's leader, a follower, the controller) rather than at machines picked blindly, because the bugs
 * that matter live there: a leader cut off from its followers while it still reaches the controller (its ISR
 * shrinks to itself), a leader cut off from the controller (a new one is elected while it still serves), a
 * leader crashing right after that. Roles resolve when the fault applies (src/scenario/faultTargets.ts). Windows
 * shrink as faultScheduleArbitrary's do: fewer, earlier, shorter.
 */
export function kafkaFaultScheduleArbitrary(constraints: KafkaFaultScheduleConstraints): fc.Arbitrary<Fault[]> {
  const { partitions, brokers } = constraints;
  const partition = fc.constantFrom(...partitions);
  const broker = fc.integer({ min: 1, max: brokers }).map(brokerNodeId);
  const target = fc.oneof(
    { arbitrary: partition.map((p) => `leader:${p}`), weight: 3 },
    { arbitrary: partition.map((p) => `follower:${p}`), weight: 2 },
    { arbitrary: fc.constant(CONTROLLER_NODE_ID), weight: 1 },
    { arbitrary: broker, weight: 1 },
  );
  const nodeWindow = (open: 'crash' | 'pause' | 'powerLoss' | 'shutdown') =>
    target.map((node): WindowFaults => ({ open: { kind: open, node }, close: { kind: open === 'pause' ? 'resume' : 'restart', node } }) as WindowFaults);
  const partitionWindow = (spec: fc.Arbitrary<object>) =>
    spec.map((s): WindowFaults => ({ open: { kind: 'partition', ...s } as Omit<Fault, 'atMs'>, close: { kind: 'heal' } }));
  const nemeses: Array<{ arbitrary: fc.Arbitrary<WindowFaults>; weight: number }> = [
    { arbitrary: nodeWindow('crash'), weight: 4 },
    { arbitrary: nodeWindow('pause'), weight: 2 },
    // The leader alone against its followers; the controller and the clients still reach everyone.
    { arbitrary: partitionWindow(partition.map((p) => ({ groups: [[`leader:${p}`], [`followers:${p}`]] }))), weight: 3 },
    // The leader with the controller against its followers.
    { arbitrary: partitionWindow(partition.map((p) => ({ groups: [[`leader:${p}`, CONTROLLER_NODE_ID], [`followers:${p}`]] }))), weight: 1 },
    // The leader against the controller: it keeps serving clients after the controller moves leadership away.
    { arbitrary: partitionWindow(partition.map((p) => ({ groups: [[`leader:${p}`], [CONTROLLER_NODE_ID]] }))), weight: 2 },
    { arbitrary: partitionWindow(target.map((node) => ({ isolate: node }))), weight: 1 },
    {
      arbitrary: fc
        .record({ pair: fc.tuple(target, target), ms: fc.integer({ min: 0, max: 500 }), bidirectional: fc.boolean() })
        .filter(({ pair: [from, to] }) => from !== to)
        .map(({ pair: [from, to], ms, bidirectional }): WindowFaults => ({
          open: { kind: 'link', from, to, bidirectional, set: { latency: { kind: 'constant', ms } } },
          close: { kind: 'link', from, to, bidirectional, reset: true },
        }) as WindowFaults),
      weight: 1,
    },
  ];
  if (constraints.powerLoss) nemeses.push({ arbitrary: nodeWindow('powerLoss'), weight: 3 });
  // Only when asked: another arm would change what every seed draws.
  if (constraints.shutdowns === true) nemeses.push({ arbitrary: nodeWindow('shutdown'), weight: 3 });
  const startMs = fc.integer({ min: 0, max: Math.max(0, constraints.horizonMs - 1) });
  const window = fc
    .record({ startMs, durationMs: fc.integer({ min: 1, max: constraints.maxDurationMs }), faults: fc.oneof(...nemeses) })
    .map(({ startMs, durationMs, faults }): FaultWindow[] => [{ startMs, durationMs, ...faults }]);
  // Plain windows, and now and then a fragile-moment pattern (two windows timed against each other).
  // A pattern starts early enough for its second window to open inside the horizon.
  const patternStartMs = fc.integer({ min: 0, max: Math.max(0, constraints.horizonMs - LAG_OUT_MS.max - GAP_MS.max - 1) });
  // A pattern is drawn whole, but shrinks window by window too: the failure may need only one of the two.
  const pattern = withExtraShrinks(fragileMomentArbitrary(partition, patternStartMs, constraints.powerLoss), withoutOneWindow);
  const element = fc.oneof({ arbitrary: window, weight: 3 }, { arbitrary: pattern, weight: 1 });
  // Once no single step keeps the failure, one, two or three of the windows alone are tried (a pattern's two apart too).
  return withLastResortShrinks(fc.array(element, { maxLength: constraints.maxWindows }).map((drawn) => drawn.flat()), smallSubsets).map(toSchedule);
}

/** The windows with one left out, for each window (the first left out first); nothing for a single window. */
export function withoutOneWindow(windows: readonly FaultWindow[]): FaultWindow[][] {
  return windows.length < 2 ? [] : windows.map((_, i) => windows.filter((_window, j) => j !== i));
}

/**
 * The broker settings of the drawn scenarios, shorter than Kafka's defaults so that ISR changes, fencing and
 * follower recovery happen inside a short run, and so that the patterns' timings hold in both metadata modes: in
 * ZooKeeper mode a broker is fenced when its ZooKeeper session expires, so the session is drawn at the KRaft broker
 * session's 9 s instead of Kafka's 18 s default (ZooKeeper's 2 s tick rounds its expiry up to 10 s); with 18 s
 * the patterns' first windows ended before the controller acted, and four weakenings went uncaught in 100 runs.
 */
export function drawnBrokerSettings(kafkaVersion: KafkaProfileName | undefined): { replicaLagTimeMaxMs: number; replicaSocketTimeoutMs: number; zookeeperSessionTimeoutMs?: number } {
  const settings = { replicaLagTimeMaxMs: 5_000, replicaSocketTimeoutMs: 5_000 };
  return kafkaVersion !== undefined && isZooKeeperMode(kafkaSpecOf(kafkaVersion)) ? { ...settings, zookeeperSessionTimeoutMs: 9_000 } : settings;
}

/** The fragile moments of Kafka's replication that a pattern aims at. */
export type FragileMoment = 'crash-after-isr-change' | 'crash-during-catch-up' | 'crash-after-session-expiry' | 'crash-after-failover';

// Timings a pattern is drawn with. replica.lag.time.max.ms is 5 s in the drawn scenarios, a broker's session
// 9 s (broker.session.timeout.ms; in ZooKeeper mode zookeeper.session.timeout.ms, drawn at 9 s too, see
// drawnBrokerSettings): a first window just longer than either makes the change the second hits.
const LAG_OUT_MS = { min: 5_500, max: 9_000 };
const SESSION_OUT_MS = { min: 9_500, max: 12_000 };
/** How soon after the first window closes the second opens: inside the moment it aims at (catch-up, an ISR add). */
const GAP_MS = { min: 0, max: 1_500 };
const DOWN_MS = { min: 1, max: 8_000 };
/**
 * The latest a crashed leader's failover comes: the controller fences a silent broker 9 s after its last heartbeat
 * (sent every 2 s), at its next 1 s tick, 7-10 s after the crash.
 */
const FAILOVER_MS = 10_500;

/**
 * Faults aimed at the moments where Kafka's replication bugs live (bug-catalog.md, R5-R13), which random windows
 * rarely hit because they need a second fault within a few hundred milliseconds of a change the first one caused:
 * - `crash-after-isr-change`: a follower is cut off from its leader until the leader drops it from the ISR; the
 *   cut heals, the follower catches up and is added back, and the leader crashes (or loses power) right then,
 *   while the new ISR member may still lack what the HW covers (R8, R9, R10, R13);
 * - `crash-during-catch-up`: a follower is down past the lag time, restarts, and the leader crashes while the
 *   follower is truncating and catching up (R3, R5, R7);
 * - `crash-after-session-expiry`: the leader is cut off from its followers for a moment and pauses as the cut heals,
 *   past its broker session; the controller fences it and elects another, the old one resumes as a deposed leader
 *   holding what it appended in the cut, and the new leader crashes soon after (R2, R6, R13);
 * - `crash-after-failover`: the leader crashes, and the broker the controller elects in its place crashes in the
 *   step in which it takes over (`next-leader:`, faultTargets.ts), before its followers have fetched from it
 *   (back-to-back failover, KAFKA-6361): a follower that truncated on the leader change, to its high watermark
 *   before KIP-101 (R3) or to a wrong epoch end before KIP-279 (R5), is elected without what it dropped. The old
 *   leader stays down until after the failover; the second comes back 1-8 s after it.
 * Each pattern shrinks as one: the gap toward 0, the outage shorter, the partition toward the first.
 */
export function fragileMomentArbitrary(partition: fc.Arbitrary<string>, startMs: fc.Arbitrary<number>, powerLoss: boolean): fc.Arbitrary<FaultWindow[]> {
  return fc
    .record({
      moment: fc.constantFrom<FragileMoment>('crash-after-isr-change', 'crash-during-catch-up', 'crash-after-session-expiry', 'crash-after-failover'),
      partition,
      startMs,
      lagOutMs: fc.integer(LAG_OUT_MS),
      sessionOutMs: fc.integer(SESSION_OUT_MS),
      gapMs: fc.integer(GAP_MS),
      downMs: fc.integer(DOWN_MS),
      lossy: powerLoss ? fc.boolean() : fc.constant(false),
    })
    .map(({ moment, partition: p, startMs: at, lagOutMs, sessionOutMs, gapMs, downMs, lossy }): FaultWindow[] => {
      const leader = `leader:${p}`;
      const follower = `follower:${p}`;
      const crash = lossy ? 'powerLoss' : 'crash';
      const window = (startMs: number, durationMs: number, open: object, close: object) =>
        ({ startMs, durationMs, open, close }) as FaultWindow;
      if (moment === 'crash-after-failover') {
        const next = `next-leader:${p}`;
        return [
          window(at, FAILOVER_MS + gapMs, { kind: 'crash', node: leader }, { kind: 'restart', node: leader }),
          window(at + 1, FAILOVER_MS + downMs, { kind: crash, node: next }, { kind: 'restart', node: next }),
        ];
      }
      if (moment === 'crash-after-session-expiry') {
        // The leader is cut off from its followers for the gap, and pauses as the cut heals: what it appended in
        // the cut is on no other replica when it is deposed (R6's diverged log, and R2's loss under acks=1).
        const followers = `followers:${p}`;
        const pausedAt = at + gapMs;
        return [
          window(at, gapMs + 1, { kind: 'partition', groups: [[leader], [followers]] }, { kind: 'heal' }),
          window(pausedAt, sessionOutMs, { kind: 'pause', node: leader }, { kind: 'resume', node: leader }),
          window(pausedAt + sessionOutMs + gapMs, downMs, { kind: crash, node: leader }, { kind: 'restart', node: leader }),
        ];
      }
      const first =
        moment === 'crash-after-isr-change'
          ? window(at, lagOutMs, { kind: 'partition', groups: [[follower], [leader]] }, { kind: 'heal' })
          : window(at, lagOutMs, { kind: 'crash', node: follower }, { kind: 'restart', node: follower });
      const second = window(at + first.durationMs + gapMs, downMs, { kind: crash, node: leader }, { kind: 'restart', node: leader });
      return [first, second];
    });
}
