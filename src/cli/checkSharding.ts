// Spreading a `kafka-sim check` over shards and workers without changing its answer. Run N of a check is the
// same scenario whatever process runs it (fast-check's seed and path), so shards explore disjoint slices of the
// runs (every count-th one), the first failing run overall is the smallest of the shards' first failures, and
// shrinking from it gives what a single process would have given.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { exploreRuns, shardRuns } from '../../properties/checkProperty.ts';
import type { KafkaProfileName } from '../scenario/kafkaProfile.ts';
import type { PropertyName, WeakeningName } from '../scenario/weakenings.ts';
import { CheckInputError } from './checkCommand.ts';
import type { CheckWorkerData } from './checkWorker.ts';

/** One shard's result, as the JSON line `--shard` prints and `--merge` reads. */
export interface ShardResult {
  property: PropertyName;
  weakening: WeakeningName | null;
  seed: number;
  runs: number;
  /** The Kafka version profile the shard explored (absent: the default). */
  kafka?: KafkaProfileName;
  /** `--shutdowns`: its scenarios drew clean shutdowns too (absent: they did not). */
  shutdowns?: true;
  shard: string;
  ran: number;
  firstFailure: number | null;
}

/** Parses `i/n` (0 <= i < n). */
export function parseShard(raw: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(raw);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index >= count) throw new CheckInputError(`--shard: got ${JSON.stringify(raw)}, allowed: i/n with 0 <= i < n (a Kubernetes indexed Job's JOB_COMPLETION_INDEX/n)`);
  return { index, count };
}

/** Explores one shard of the runs of a property (no shrinking). */
export function runShard(
  property: PropertyName,
  weakening: WeakeningName | null,
  options: { seed: number; runs: number; index: number; count: number; kafkaVersion?: KafkaProfileName | undefined; shutdowns?: boolean | undefined },
): ShardResult {
  const runs = shardRuns(options.runs, options.index, options.count);
  const { ran, firstFailure } = exploreRuns(property, weakening === null ? [] : [weakening], { seed: options.seed, runs, kafkaVersion: options.kafkaVersion, shutdowns: options.shutdowns });
  const kafka = options.kafkaVersion === undefined ? {} : { kafka: options.kafkaVersion };
  const shutdowns = options.shutdowns === true ? { shutdowns: true as const } : {};
  return { property, weakening, seed: options.seed, runs: options.runs, ...kafka, ...shutdowns, shard: `${options.index}/${options.count}`, ran, firstFailure };
}

/** Explores every run of a property over `workers` worker threads; resolves to the first failing run, or null. */
export async function exploreWithWorkers(
  property: PropertyName,
  weakening: WeakeningName | null,
  options: { seed: number; runs: number; workers: number; kafkaVersion?: KafkaProfileName | undefined; shutdowns?: boolean | undefined },
): Promise<number | null> {
  const results = await Promise.all(
    Array.from({ length: options.workers }, (_, index) => {
      const workerData: CheckWorkerData = {
        property,
        weakenings: weakening === null ? [] : [weakening],
        seed: options.seed,
        runs: options.runs,
        index,
        count: options.workers,
        kafkaVersion: options.kafkaVersion,
        shutdowns: options.shutdowns === true,
      };
      return new Promise<{ firstFailure: number | null }>((resolve, reject) => {
        // A plain JS entry registers tsx in the worker's thread, then loads checkWorker.ts.
        const worker = new Worker(new URL('../../bin/check-worker.js', import.meta.url), { workerData });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  const failures = results.map((r) => r.firstFailure).filter((run): run is number => run !== null);
  return failures.length === 0 ? null : Math.min(...failures);
}

/** Merges shard results (JSON lines files): per property, the first failing run over every shard. */
export function mergeShards(files: readonly string[]): Array<Omit<ShardResult, 'shard' | 'ran'> & { ran: number; shards: number; ok: boolean }> {
  const byCheck = new Map<string, ShardResult[]>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CheckInputError(`--merge: cannot read ${JSON.stringify(file)}: ${(err as Error).message}`);
    }
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      let result: ShardResult;
      try {
        result = JSON.parse(line) as ShardResult;
      } catch {
        throw new CheckInputError(`--merge: ${JSON.stringify(file)} holds a line that is not JSON: ${JSON.stringify(line.slice(0, 80))}`);
      }
      const key = JSON.stringify([result.property, result.weakening, result.seed, result.runs, result.kafka ?? null, result.shutdowns === true]);
      byCheck.set(key, [...(byCheck.get(key) ?? []), result]);
    }
  }
  return [...byCheck.values()].map((shards) => {
    const first = shards[0] as ShardResult;
    const count = Number(first.shard.split('/')[1]);
    const seen = new Set(shards.map((s) => s.shard));
    const missing = Array.from({ length: count }, (_, i) => `${i}/${count}`).filter((s) => !seen.has(s));
    if (missing.length > 0) throw new CheckInputError(`--merge: ${first.property} is missing shard(s) ${missing.join(', ')} of ${count}`);
    const failures = shards.map((s) => s.firstFailure).filter((run): run is number => run !== null);
    const firstFailure = failures.length === 0 ? null : Math.min(...failures);
    return {
      property: first.property,
      weakening: first.weakening,
      seed: first.seed,
      runs: first.runs,
      ...(first.kafka === undefined ? {} : { kafka: first.kafka }),
      ...(first.shutdowns === true ? { shutdowns: true as const } : {}),
      ran: shards.reduce((n, s) => n + s.ran, 0),
      shards: count,
      firstFailure,
      ok: firstFailure === null,
    };
  });
}
