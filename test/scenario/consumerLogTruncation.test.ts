import { describe, expect, it } from 'vitest';
import type { EpochEntry } from '../../actors/broker/leaderEpochCache.ts';
import type { LogTruncationNote } from '../../actors/client/positionValidation.ts';
import type { World } from '../../src/kernel/World.ts';
import type { NodeNote } from '../../src/kernel/NodeHost.ts';
import type { LogRecord } from '../../src/history/History.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runResolvedScenario, type RunResult } from '../../src/scenario/runResolvedScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';

// Consumers validate their positions after a leader change (KIP-320). The story: the follower of a partition with
// min.insync.replicas=1 is cut off and leaves the ISR while its leader takes more writes and the consumers read them;
// then the leader crashes and, with unclean.leader.election.enable, the stale follower is elected. Its log ends
// below what the consumers read (the divergent offset E, where its new epoch starts). The group consumer is paused
// through the election, and by the time it resumes the new leader's log has grown past its position, so a fetch at
// that position would succeed: without validation it would read on silently, having read records that no longer
// exist and skipping the new leader's records from E. With validation it asks the new leader where the epoch of its
// last record ends (E), and moves back there (auto.offset.reset=earliest or latest: Kafka 3.9 resets to the divergent
// offset under either) or fails with LogTruncationException (none).
const TRUNCATED_AT_MS = 24_000; // the leader crashes
const PAUSE_MS = 30_000;
const RESUME_MS = 38_000;

function truncationStory(autoOffsetReset: 'earliest' | 'latest' | 'none'): Scenario {
  return {
    seed: 1,
    brokers: 3,
    topics: [{ name: 'events', partitions: 1, replicationFactor: 2, minInsyncReplicas: 1 }],
    producers: [{ workload: { topic: 'events', records: 400, ratePerSec: 10, keys: { kind: 'null' } } }],
    readers: [{ topics: ['events'] }],
    consumers: [
      // Reads from the beginning and commits on close, so the consumer under test starts from a committed offset
      // (auto.offset.reset=none fails at once without one).
      { groupId: 'g', topics: ['events'], settings: { autoOffsetReset: 'earliest' }, stopMs: 10_000 },
      { groupId: 'g', topics: ['events'], settings: { autoOffsetReset }, startMs: 9_000 },
    ],
    controller: { uncleanLeaderElectionEnable: true },
    faults: [
      { atMs: 12_000, kind: 'partition', groups: [['leader:events-0', 'controller'], ['followers:events-0']] },
      { atMs: TRUNCATED_AT_MS, kind: 'crash', node: 'leader:events-0' },
      { atMs: TRUNCATED_AT_MS + 1, kind: 'heal' },
      { atMs: PAUSE_MS, kind: 'pause', node: 'consumer-2' },
      { atMs: RESUME_MS, kind: 'resume', node: 'consumer-2' },
    ],
    durations: { safetyMs: 45_000 },
  };
}

interface StoryRun {
  result: RunResult;
  notes: NodeNote[];
  /** Where the stale follower's epoch starts in its log: the end of the epoch the consumers read under. */
  divergentOffset: number;
}

function runStory(autoOffsetReset: 'earliest' | 'latest' | 'none'): StoryRun {
  const notes: NodeNote[] = [];
  let world: World | undefined;
  const result = runResolvedScenario(resolveScenario(truncationStory(autoOffsetReset)), {
    onWorld: (w) => {
      world = w;
      w.notes$.subscribe((note) => notes.push(note));
    },
  });
  // The leader at the end is the follower elected uncleanly; its epoch cache says where its first epoch after 0 began.
  const leader = result.finalState.controller.partitions['events-0']?.leader;
  const context = world?.snapshot(`broker-${leader}`)?.context as { state: { partitions: Record<string, { log: { epochCache: EpochEntry[] } }> } };
  const cache = context.state.partitions['events-0']?.log.epochCache ?? [];
  const divergentOffset = cache.find((entry) => entry.epoch > 0)?.startOffset ?? -1;
  return { result, notes, divergentOffset };
}

function polledRecords(result: RunResult, node: string, fromMs: number, toMs = Infinity): LogRecord[] {
  return result.history
    .filter((op) => op.process === node && op.f === 'poll' && op.type === 'ok' && op.timeMs >= fromMs && op.timeMs < toMs)
    .flatMap((op) => (op.value as { records: LogRecord[] }).records);
}

function truncationNotes(notes: readonly NodeNote[], node: string): LogTruncationNote['logTruncation'][] {
  return notes.filter((n) => n.node === node && (n.data as Partial<LogTruncationNote>).logTruncation !== undefined).map((n) => (n.data as LogTruncationNote).logTruncation);
}

describe('consumer log truncation (KIP-320, unclean election)', () => {
  for (const autoOffsetReset of ['earliest', 'latest'] as const) {
    it(`auto.offset.reset=${autoOffsetReset}: the group consumer moves back to the end offset of its epoch on the new leader instead of reading on from its old position`, () => {
      const { result, notes, divergentOffset } = runStory(autoOffsetReset);
      const before = polledRecords(result, 'consumer-2', 0, TRUNCATED_AT_MS);
      const position = (before.at(-1)?.offset ?? -1) + 1;
      // The story holds: the consumer had read past the end of the stale follower's log.
      expect(divergentOffset).toBeGreaterThan(0);
      expect(position).toBeGreaterThan(divergentOffset);

      const after = polledRecords(result, 'consumer-2', RESUME_MS).map((r) => r.offset);
      expect(after[0]).toBe(divergentOffset);
      expect(after.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => divergentOffset + i));
      expect(truncationNotes(notes, 'consumer-2')).toEqual([
        { partition: 'events-0', fetchOffset: position, offsetEpoch: 0, divergentOffset, divergentEpoch: 0, resolution: 'seek' },
      ]);
      expect(result.groupLog.some((e) => e.group === 'failed')).toBe(false);
    });
  }

  it('auto.offset.reset=none: the group consumer fails with LogTruncationException and reads nothing from the new leader', () => {
    const { result, notes, divergentOffset } = runStory('none');
    const before = polledRecords(result, 'consumer-2', 0, TRUNCATED_AT_MS);
    const position = (before.at(-1)?.offset ?? -1) + 1;
    expect(position).toBeGreaterThan(divergentOffset);

    expect(polledRecords(result, 'consumer-2', RESUME_MS)).toEqual([]);
    const failed = result.groupLog.filter((e) => e.group === 'failed' && e.node === 'consumer-2');
    expect(failed.map((e) => e.timeMs >= RESUME_MS)).toEqual([true]);
    expect(truncationNotes(notes, 'consumer-2')).toEqual([
      { partition: 'events-0', fetchOffset: position, offsetEpoch: 0, divergentOffset, divergentEpoch: 0, resolution: 'fatal' },
    ]);
  });

  it('the reader (assign mode) validates too: it moves back to the divergent offset, not to the log start', () => {
    const { result, divergentOffset } = runStory('earliest');
    const reads = polledRecords(result, 'reader-1', 0, result.finalReadStartMs).map((r) => r.offset);
    const stepsBack = reads.flatMap((offset, i) => (i > 0 && offset <= (reads[i - 1] as number) ? [[reads[i - 1], offset]] : []));
    expect(stepsBack.length).toBe(1);
    expect(stepsBack[0]?.[1]).toBe(divergentOffset);
  });
});
