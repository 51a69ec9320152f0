import fc from 'fast-check';
import type { Fault } from '../../src/faults/Fault.ts';
import { brokerNodeId, CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import { toSchedule, type FaultWindow, type WindowFaults } from './faultScheduleArbitrary.ts';

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
  const nodeWindow = (open: 'crash' | 'pause' | 'powerLoss') =>
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
  const window = fc
    .record({
      startMs: fc.integer({ min: 0, max: Math.max(0, constraints.horizonMs - 1) }),
      durationMs: fc.integer({ min: 1, max: constraints.maxDurationMs }),
      faults: fc.oneof(...nemeses),
    })
    .map(({ startMs, durationMs, faults }): FaultWindow => ({ startMs, durationMs, ...faults }));
  return fc.array(window, { maxLength: constraints.maxWindows }).map(toSchedule);
}
