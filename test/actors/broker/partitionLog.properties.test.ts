import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendAsLeader,
  assignEpochStartOffset,
  dropUnflushed,
  flush,
  truncateTo,
  updateHighWatermark,
} from '../../../actors/broker/partitionLog.ts';
import { emptyReplicaLog, logInvariantProblems } from '../../../actors/broker/ReplicaLog.ts';
import type { ReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import { propertyRuns } from '../../../properties/propertyRuns.ts';
import { offsetsOf } from './logFixtures.ts';

// Random sequences of log operations against a model that is just an array of records: after every operation
// the log is sound (logInvariantProblems) and holds exactly the model's records, watermarks and flushed prefix.
// Fractions pick offsets inside the current log, so shrinking keeps the sequences meaningful.

type LogOperation =
  | { kind: 'append'; count: number; newEpoch: boolean }
  | { kind: 'truncate'; at: number }
  | { kind: 'highWatermark'; at: number }
  | { kind: 'flush' }
  | { kind: 'powerLoss' };

const operationArbitrary: fc.Arbitrary<LogOperation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 4 }), newEpoch: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1.2, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('highWatermark' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'powerLoss' as const }) },
);

interface LogModel {
  records: Array<{ epoch: number; value: string }>;
  epoch: number;
  highWatermark: number;
  flushedOffset: number;
  written: number;
}

type Truncate = (log: ReplicaLog, offset: number) => ReplicaLog;

function runOperations(operations: LogOperation[], truncate: Truncate): void {
  let log = emptyReplicaLog();
  const model: LogModel = { records: [], epoch: 0, highWatermark: 0, flushedOffset: 0, written: 0 };
  for (const operation of operations) {
    const offsetAt = (fraction: number) => Math.floor(fraction * model.records.length);
    switch (operation.kind) {
      case 'append': {
        if (operation.newEpoch) {
          model.epoch++;
          log = assignEpochStartOffset(log, model.epoch);
        }
        const values = Array.from({ length: operation.count }, () => `r${model.written++}`);
        log = appendAsLeader(log, values.map((value) => ({ key: null, value })), { leaderEpoch: model.epoch }).log;
        model.records.push(...values.map((value) => ({ epoch: model.epoch, value })));
        break;
      }
      case 'truncate': {
        const offset = offsetAt(operation.at);
        log = truncate(log, offset);
        model.records = model.records.slice(0, offset);
        break;
      }
      case 'highWatermark':
        model.highWatermark = offsetAt(operation.at);
        log = updateHighWatermark(log, model.highWatermark);
        break;
      case 'flush':
        log = flush(log);
        model.flushedOffset = model.records.length;
        break;
      case 'powerLoss':
        log = dropUnflushed(log);
        model.records = model.records.slice(0, model.flushedOffset);
        break;
    }
    model.highWatermark = Math.min(model.highWatermark, model.records.length);
    model.flushedOffset = Math.min(model.flushedOffset, model.records.length);
    expect(logInvariantProblems(log)).toEqual([]);
    expect(offsetsOf(log).map(({ epoch, value }) => ({ epoch, value }))).toEqual(model.records);
    expect([log.logEndOffset, log.highWatermark, log.flushedOffset]).toEqual([model.records.length, model.highWatermark, model.flushedOffset]);
    expect(log.epochCache.every((entry) => entry.startOffset <= log.logEndOffset)).toBe(true);
  }
}

const logInvariantsHold = (truncate: Truncate) =>
  fc.property(fc.array(operationArbitrary, { maxLength: 40, size: 'max' }), (operations) => runOperations(operations, truncate));

// A truncation that forgets to cut the high watermark and the epoch cache: what the invariants are there to catch.
const truncateKeepingWatermarks: Truncate = (log, offset) => ({ ...truncateTo(log, offset), highWatermark: log.highWatermark, epochCache: log.epochCache });

describe('partitionLog properties', () => {
  it('log invariants hold under random append, truncate, flush and power-loss sequences', () => {
    fc.assert(logInvariantsHold(truncateTo), { numRuns: propertyRuns(200) });
  });

  it('the invariant checks catch a truncation that leaves the high watermark and epoch cache behind', () => {
    const result = fc.check(logInvariantsHold(truncateKeepingWatermarks), { numRuns: 200, seed: 20_241_017 });
    expect(result.failed).toBe(true);
  });
});
