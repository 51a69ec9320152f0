// Histories of a correct Kafka, for the checkers' properties: a simple in-memory log per partition, clients
// that send unique values and consume contiguously, and Jepsen's final phase (every client crashes, assigns
// every partition from the beginning and polls until it has read everything). Whatever the commands, such
// a history holds no anomaly; historyMutations.ts then breaks it in the way each checker must notice.
import fc from 'fast-check';
import { HistoryRecorder, type CompletionType, type CompletionValue, type History, type LogRecord } from '../../src/history/History.ts';

const TOPIC = 't';

/** One client action. Effects happen at invocation; `later` leaves the completion open for a while. */
export type ModelCommand =
  | { kind: 'send'; process: number; partition: number; outcome: 'ok' | 'info-applied' | 'info-lost' | 'fail'; later: boolean }
  | { kind: 'poll'; process: number; maxRecords: number; outcome: 'ok' | 'info'; later: boolean }
  | { kind: 'assign'; process: number; partitions: number[]; fromBeginning: boolean }
  | { kind: 'subscribe'; process: number }
  | { kind: 'rebalance'; process: number }
  | { kind: 'commit'; process: number }
  | { kind: 'crash'; process: number };

/** A run of the model: how many clients and partitions, what they do, the final phase's poll size. */
export interface ModelScenario {
  processes: number;
  partitions: number;
  commands: ModelCommand[];
  finalMaxRecords: number;
}

/** Bounds for generated scenarios. */
export interface ModelScenarioConstraints {
  maxProcesses?: number;
  maxPartitions?: number;
  maxCommands?: number;
}

/** Scenarios of a few clients on a few partitions of one topic. */
export function modelScenarioArbitrary(constraints: ModelScenarioConstraints = {}): fc.Arbitrary<ModelScenario> {
  const { maxProcesses = 3, maxPartitions = 3, maxCommands = 60 } = constraints;
  return fc
    .record({ processes: fc.integer({ min: 1, max: maxProcesses }), partitions: fc.integer({ min: 1, max: maxPartitions }) })
    .chain(({ processes, partitions }) => {
      const process = fc.nat({ max: processes - 1 });
      const partition = fc.nat({ max: partitions - 1 });
      const command: fc.Arbitrary<ModelCommand> = fc.oneof(
        { weight: 6, arbitrary: fc.record({ kind: fc.constant('send' as const), process, partition, outcome: fc.constantFrom('ok' as const, 'ok' as const, 'ok' as const, 'info-applied' as const, 'info-lost' as const, 'fail' as const), later: fc.boolean() }) },
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('poll' as const), process, maxRecords: fc.integer({ min: 1, max: 4 }), outcome: fc.constantFrom('ok' as const, 'ok' as const, 'ok' as const, 'info' as const), later: fc.boolean() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('assign' as const), process, partitions: fc.uniqueArray(partition, { minLength: 1 }), fromBeginning: fc.boolean() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('subscribe' as const), process }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('rebalance' as const), process }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('commit' as const), process }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), process }) },
      );
      return fc.record({
        processes: fc.constant(processes),
        partitions: fc.constant(partitions),
        commands: fc.array(command, { maxLength: maxCommands, size: 'medium' }),
        finalMaxRecords: fc.integer({ min: 1, max: 3 }),
      });
    });
}

interface Consumer {
  mode: 'none' | 'assign' | 'subscribe';
  positions: Map<number, number>;
  memberId: string;
  generation: number;
}

interface Pending {
  invoke: number;
  type: CompletionType;
  value: CompletionValue;
}

/** Runs a scenario against the correct log and returns the history its clients recorded. */
export function runModel(scenario: ModelScenario): History {
  const recorder = new HistoryRecorder();
  const logs: string[][] = Array.from({ length: scenario.partitions }, () => []);
  const committed = new Map<number, Map<number, number>>();
  const consumers = new Map<number, Consumer>();
  const pending = new Map<number, Pending>();
  let timeMs = 0;
  let sent = 0;
  let generations = 0;
  let incarnations = 0;
  const tick = (): number => (timeMs += 1);
  const name = (process: number): string => `p${process}`;
  const consumerOf = (process: number): Consumer => {
    let consumer = consumers.get(process);
    if (consumer === undefined) {
      consumer = { mode: 'none', positions: new Map(), memberId: '', generation: 0 };
      consumers.set(process, consumer);
    }
    return consumer;
  };
  const committedOf = (process: number, partition: number): number => committed.get(process)?.get(partition) ?? 0;
  const flush = (process: number): void => {
    const open = pending.get(process);
    if (open === undefined) return;
    recorder.complete(open.invoke, open.type, open.value, tick());
    pending.delete(process);
  };
  const finish = (process: number, invoke: number, type: CompletionType, value: CompletionValue, later: boolean): void => {
    if (later) pending.set(process, { invoke, type, value });
    else recorder.complete(invoke, type, value, tick());
  };
  const poll = (process: number, maxRecords: number): { records: LogRecord[]; memberId?: string; generation?: number } => {
    const consumer = consumerOf(process);
    const records: LogRecord[] = [];
    for (const partition of [...consumer.positions.keys()].sort((a, b) => a - b)) {
      const position = consumer.positions.get(partition) ?? 0;
      const values = logs[partition]?.slice(position, position + maxRecords) ?? [];
      values.forEach((value, i) => records.push({ topic: TOPIC, partition, offset: position + i, key: null, value }));
      consumer.positions.set(partition, position + values.length);
    }
    return consumer.mode === 'subscribe' ? { records, memberId: consumer.memberId, generation: consumer.generation } : { records };
  };
  const rejoin = (process: number, consumer: Consumer): void => {
    consumer.generation = ++generations;
    consumer.positions = new Map(logs.map((_, partition) => [partition, committedOf(process, partition)]));
  };

  const run = (command: ModelCommand): void => {
    const { process } = command;
    if (command.kind === 'rebalance') {
      const consumer = consumerOf(process);
      if (consumer.mode === 'subscribe') rejoin(process, consumer);
      return;
    }
    flush(process);
    const p = name(process);
    switch (command.kind) {
      case 'send': {
        const { partition, outcome } = command;
        const value = `v${sent++}`;
        const invoke = recorder.invoke(p, 'send', { topic: TOPIC, key: null, value, partition }, tick());
        const log = logs[partition] ?? [];
        const offset = log.length;
        if (outcome === 'ok' || outcome === 'info-applied') log.push(value);
        if (outcome === 'ok') finish(process, invoke, 'ok', { topic: TOPIC, partition, offset, key: null, value }, command.later);
        else finish(process, invoke, outcome === 'fail' ? 'fail' : 'info', { topic: TOPIC, key: null, value, partition }, command.later);
        return;
      }
      case 'poll': {
        const invoke = recorder.invoke(p, 'poll', {}, tick());
        const result = poll(process, command.maxRecords);
        // An indefinite poll moved the position, but its records never reached the history.
        finish(process, invoke, command.outcome, command.outcome === 'ok' ? result : {}, command.later);
        return;
      }
      case 'assign': {
        const partitions = command.partitions.map((partition) => `${TOPIC}-${partition}`);
        const invoke = recorder.invoke(p, 'assign', { partitions }, tick());
        const consumer = consumerOf(process);
        const previous = consumer.positions;
        consumer.mode = 'assign';
        consumer.positions = new Map(
          command.partitions.map((partition) => [partition, command.fromBeginning ? 0 : (previous.get(partition) ?? committedOf(process, partition))]),
        );
        recorder.complete(invoke, 'ok', { partitions }, tick());
        return;
      }
      case 'subscribe': {
        const invoke = recorder.invoke(p, 'subscribe', { topics: [TOPIC] }, tick());
        const consumer = consumerOf(process);
        consumer.mode = 'subscribe';
        consumer.memberId = `member-${incarnations++}`;
        rejoin(process, consumer);
        recorder.complete(invoke, 'ok', { topics: [TOPIC] }, tick());
        return;
      }
      case 'commit': {
        const positions = consumerOf(process).positions;
        const offsets = Object.fromEntries([...positions].map(([partition, offset]) => [`${TOPIC}-${partition}`, offset]));
        const invoke = recorder.invoke(p, 'commit', { offsets }, tick());
        committed.set(process, new Map(positions));
        recorder.complete(invoke, 'ok', { offsets }, tick());
        return;
      }
      case 'crash': {
        const invoke = recorder.invoke(p, 'crash', {}, tick());
        consumers.delete(process);
        recorder.complete(invoke, 'info', {}, tick());
        return;
      }
    }
  };

  for (const command of scenario.commands) run(command);
  // Jepsen's final phase: a fresh client per process reads every partition from the beginning to the end.
  const all = logs.map((_, partition) => partition);
  for (let process = 0; process < scenario.processes; process++) {
    run({ kind: 'crash', process });
    run({ kind: 'assign', process, partitions: all, fromBeginning: true });
    const consumer = consumerOf(process);
    while (all.some((partition) => (consumer.positions.get(partition) ?? 0) < (logs[partition]?.length ?? 0))) {
      run({ kind: 'poll', process, maxRecords: scenario.finalMaxRecords, outcome: 'ok', later: false });
    }
  }
  return recorder.operations();
}
