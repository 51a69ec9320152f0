// What the experiments share: a one-topic scenario built from a few knobs, a run that reports progress, and the
// facts experiments read back from a run's history (each send's outcome and latency, the records read).
import type { LogRecord, Operation } from '../history/History.ts';
import type { Fault } from '../faults/Fault.ts';
import type { ConsumerSpec, KeySpec, Scenario } from '../scenario/Scenario.ts';
import { runScenario } from '../scenario/runScenario.ts';
import type { RunOptions, RunResult } from '../scenario/runResolvedScenario.ts';
import type { GroupLog, ProcessedNote } from '../history/GroupNote.ts';
import type { ExperimentOptions } from './Experiment.ts';

export const TOPIC = 'events';
export const STARTUP_MS = 5_000;

export interface OneTopicScenario {
  seed: number;
  brokers?: number;
  partitions: number;
  replicationFactor?: number;
  minInsyncReplicas?: number;
  records: number;
  ratePerSec: number;
  keys: KeySpec;
  producerSettings?: Record<string, unknown>;
  /** Readers (assign mode) reading every partition; the final read after the heal is what "survived". */
  readers?: number;
  consumers?: ConsumerSpec[];
  faults?: Fault[];
  broker?: Record<string, unknown>;
  controller?: Record<string, unknown>;
  /** How long the safety phase lasts after the workload ends (default 5 s). */
  tailMs?: number;
  operations?: Scenario['operations'];
}

/** One producer writing `records` records to one topic, read back by readers; faults inside the safety phase. */
export function oneTopicScenario(spec: OneTopicScenario): Scenario {
  const workloadMs = Math.ceil((spec.records / spec.ratePerSec) * 1_000);
  const lastFaultMs = Math.max(0, ...(spec.faults ?? []).map((f) => f.atMs));
  const safetyMs = Math.max(STARTUP_MS + workloadMs, lastFaultMs + 1) + (spec.tailMs ?? 5_000);
  return {
    seed: spec.seed,
    brokers: spec.brokers ?? 3,
    topics: [{ name: TOPIC, partitions: spec.partitions, replicationFactor: spec.replicationFactor ?? 3, ...(spec.minInsyncReplicas === undefined ? {} : { minInsyncReplicas: spec.minInsyncReplicas }) }],
    producers: [{ id: 'producer-1', settings: spec.producerSettings ?? {}, workload: { topic: TOPIC, records: spec.records, ratePerSec: spec.ratePerSec, keys: spec.keys } }],
    readers: Array.from({ length: spec.readers ?? 1 }, (_, i) => ({ id: `reader-${i + 1}`, topics: [TOPIC] })),
    ...(spec.consumers === undefined ? {} : { consumers: spec.consumers }),
    ...(spec.operations === undefined ? {} : { operations: spec.operations }),
    ...(spec.broker === undefined ? {} : { broker: spec.broker }),
    ...(spec.controller === undefined ? {} : { controller: spec.controller }),
    faults: spec.faults ?? [],
    durations: { startupMs: STARTUP_MS, safetyMs, quietMs: 15_000, finalReadMs: 60_000 },
  };
}

/** Runs a scenario, telling the progress callback. */
export function runFor(scenario: Scenario, options: ExperimentOptions, label: string, runOptions: RunOptions = {}): RunResult {
  const result = runScenario(scenario, runOptions);
  options.onRun?.(label);
  return result;
}

/** The seeds of an experiment: 1..n. */
export function seedsOf(options: ExperimentOptions): number[] {
  return Array.from({ length: options.seeds }, (_, i) => i + 1);
}

export interface SendOutcome {
  value: string;
  key: string | null;
  invokedMs: number;
  type: 'ok' | 'fail' | 'info' | 'open';
  completedMs: number | null;
  /** Where an acknowledged record landed (acks=0 gives no offset). */
  record: LogRecord | null;
}

/** Every send of the history with its outcome, by value (values are unique per run). */
export function sendOutcomes(history: readonly Operation[]): Map<string, SendOutcome> {
  const sends = new Map<string, SendOutcome>();
  for (const op of history) {
    if (op.f !== 'send') continue;
    if (op.type === 'invoke') {
      sends.set(op.value.value, { value: op.value.value, key: op.value.key, invokedMs: op.timeMs, type: 'open', completedMs: null, record: null });
      continue;
    }
    const sent = sends.get(op.value.value);
    if (sent === undefined) continue;
    sent.type = op.type;
    sent.completedMs = op.timeMs;
    if (op.type === 'ok') sent.record = op.value as LogRecord;
  }
  return sends;
}

/** Every record the readers and consumers returned, first sighting of each value, in history order. */
export function recordsRead(history: readonly Operation[], fromMs = 0): Map<string, LogRecord> {
  const read = new Map<string, LogRecord>();
  for (const op of history) {
    if (op.f !== 'poll' || op.type !== 'ok' || op.timeMs < fromMs) continue;
    for (const record of op.value.records) if (!read.has(record.value)) read.set(record.value, record);
  }
  return read;
}

export const GROUP = 'experiment';

/** `count` group consumers of the experiment's topic, from the earliest offset, with the given settings. */
export function groupConsumers(count: number, settings: Record<string, unknown> = {}, extra: Partial<ConsumerSpec> = {}): ConsumerSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `consumer-${i + 1}`,
    groupId: GROUP,
    topics: [TOPIC],
    settings: { autoOffsetReset: 'earliest', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3_000, ...settings },
    ...extra,
  }));
}

/** The records processed by the group, in the order the rebalance log has them. */
export function processedRecords(log: GroupLog): Array<ProcessedNote & { node: string; timeMs: number }> {
  return log.filter((e): e is ProcessedNote & { node: string; timeMs: number } => 'group' in e && e.group === 'processed');
}

/** A partition's stalls within a window: its longest time without a processed record, and the sum of its stalls. */
export interface PartitionStalls {
  longestMs: number;
  /** The time spent in gaps longer than the threshold. */
  stalledMs: number;
}

/**
 * For each partition, its stalls within [fromMs, toMs]: the gaps between processed records (the window's edges count
 * as records), the longest, and the total of those longer than `thresholdMs`.
 */
export function partitionStalls(log: GroupLog, partitions: readonly number[], fromMs: number, toMs: number, thresholdMs: number): Map<number, PartitionStalls> {
  const times = new Map<number, number[]>(partitions.map((p) => [p, [fromMs]]));
  for (const record of processedRecords(log)) {
    if (record.timeMs < fromMs || record.timeMs > toMs) continue;
    times.get(record.partition)?.push(record.timeMs);
  }
  const stalls = new Map<number, PartitionStalls>();
  for (const [partition, list] of times) {
    list.push(toMs);
    list.sort((a, b) => a - b);
    let longestMs = 0;
    let stalledMs = 0;
    for (let i = 1; i < list.length; i++) {
      const gap = (list[i] as number) - (list[i - 1] as number);
      longestMs = Math.max(longestMs, gap);
      if (gap > thresholdMs) stalledMs += gap;
    }
    stalls.set(partition, { longestMs, stalledMs });
  }
  return stalls;
}
