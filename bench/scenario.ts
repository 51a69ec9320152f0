// Scenario benchmark: the standard scenario (3 brokers; one topic of 6 partitions, RF 3, min ISR 2; two
// idempotent acks=all producers sending 100,000 records in all, 50,000 each at 1,000 records per virtual second,
// keys from a keyspace of 1,000; two readers; no faults) run end to end through runScenario, next to the kernel
// bench's World ping-pong measured in the same process just before and just after it. Prints one JSON object
// and exits non-zero if the run's verdict is not valid or its final read did not complete.
//
//   npm run bench:scenario               the standard scenario (100,000 records)
//   npm run bench:scenario -- --quick    10,000 records (5,000 per producer)
//   npm run bench [-- --quick]           the kernel bench, then this one: { kernel, scenario }
//
// Deliveries are counted on world.events$. Observing events$ is not free (the bus builds an event object for
// every send and delivery only when someone listens), so the scenario runs twice with the same seed: once
// observed (counting deliveries, sampling the heap) and once with no events$ observer, timed. The two runs'
// traceHashes must match (the same run, delivery for delivery); `deliveriesPerSec` is the observed run's count
// over the unobserved run's wall time, and the observed run's own rate is printed beside it. A delivery is any
// envelope that reached a node, the application's send() calls (world -> producer, one per record) included.
// `peakHeapMB` is heapUsed sampled every few thousand deliveries of the observed run (after a full GC before
// it); `maxRssMB` is the whole process's peak resident set, checkers and (under npm run bench) the kernel bench
// included.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scenario } from '../src/scenario/Scenario.ts';
import { runScenario } from '../src/scenario/runScenario.ts';
import type { RunResult } from '../src/scenario/runResolvedScenario.ts';
import type { World } from '../src/kernel/World.ts';
import { measureWorld, runKernelBench } from './kernel.ts';
import { kafkaDeliveriesPerRecord, kafkaIdleDeliveriesPerSecond } from './requestPattern.ts';

const RATE_PER_SEC = 1_000;
const KEYSPACE = 1_000;
const TOPIC = 'bench';
/** Heap samples are taken every this many deliveries in the observed run. */
const HEAP_SAMPLE_EVERY = 2_000;
/** Virtual ms of each kernel ping-pong round (the kernel bench's full-size round). */
const PING_PONG_MS = 400;

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => Number((bytes / 1e6).toFixed(1));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The standard scenario with `recordsPerProducer` records from each of its two producers. */
export function standardScenario(recordsPerProducer: number): Scenario {
  const startupMs = 5_000;
  const workloadMs = Math.ceil((recordsPerProducer / RATE_PER_SEC) * 1_000);
  const producer = (id: string) => ({
    id,
    settings: { acks: 'all', enableIdempotence: true },
    workload: { topic: TOPIC, records: recordsPerProducer, ratePerSec: RATE_PER_SEC, keys: { kind: 'keyspace' as const, size: KEYSPACE } },
  });
  return {
    seed: 1,
    brokers: 3,
    topics: [{ name: TOPIC, partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 }],
    producers: [producer('producer-1'), producer('producer-2')],
    readers: [
      { id: 'reader-1', topics: [TOPIC] },
      { id: 'reader-2', topics: [TOPIC] },
    ],
    // No faults: the safety phase only needs to outlast the workload (plus a few seconds for the last acks), the
    // quiet period is short, and the final read ends as soon as both readers are at the high watermark.
    durations: { startupMs, safetyMs: startupMs + workloadMs + 5_000, quietMs: 5_000, finalReadMs: 60_000 },
  };
}

interface RunFigures {
  /** ProduceRequests the producers sent (counted in the observed run). */
  produceRequests: number;
  wallSeconds: number;
  /** The process's CPU seconds (user + system, GC threads included): less sensitive to a loaded machine. */
  cpuSeconds: number;
  /** Wall seconds until the last reader finished its final read: the simulation, before the checkers. */
  simulationSeconds: number;
  deliveries: number;
  peakHeapUsed: number;
}

interface TimedRun extends RunFigures {
  result: RunResult;
}

/** One run of `scenario`; `observe` counts deliveries on events$ and samples the heap every few thousand. */
function timedRun(scenario: Scenario, observe: boolean): TimedRun {
  gc?.();
  let deliveries = 0;
  let produceRequests = 0;
  let peakHeapUsed = process.memoryUsage().heapUsed;
  let lastReadDoneAt = 0;
  const readersDone = new Set<string>();
  const onWorld = (world: World) => {
    // Marks when the final read finished (notes are emitted whether or not anyone listens here).
    world.notes$.subscribe((note) => {
      if ((note.data as { readToEnd?: string }).readToEnd !== 'done') return;
      readersDone.add(note.node);
      lastReadDoneAt = performance.now();
    });
    if (!observe) return;
    world.events$.subscribe((event) => {
      if (event.kind === 'sent' && event.envelope.message.type === 'produce.request') produceRequests++;
      if (event.kind !== 'delivered') return;
      deliveries++;
      if (deliveries % HEAP_SAMPLE_EVERY === 0) peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
    });
  };
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = runScenario(scenario, { trace: 'hash', onWorld });
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
  const simulationEnd = readersDone.size === scenario.readers.length ? lastReadDoneAt : end;
  return { result, produceRequests, wallSeconds: (end - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, simulationSeconds: (simulationEnd - start) / 1000, deliveries, peakHeapUsed };
}

/** Records acknowledged to the producers, and distinct records the readers returned (together and each). */
function recordCounts(result: RunResult) {
  let acked = 0;
  const readBy = new Map<string, Set<string>>();
  const readAll = new Set<string>();
  for (const op of result.history) {
    if (op.f === 'send' && op.type === 'ok') acked++;
    if (op.f !== 'poll' || op.type !== 'ok') continue;
    let mine = readBy.get(op.process);
    if (mine === undefined) readBy.set(op.process, (mine = new Set()));
    for (const record of op.value.records) {
      mine.add(record.value);
      readAll.add(record.value);
    }
  }
  const readByReader = Object.fromEntries([...readBy].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, values]) => [id, values.size]));
  return { acked, read: readAll.size, readByReader };
}

/** A run's figures and traceHash, dropping its history. */
function withoutHistory({ result, ...figures }: TimedRun): [RunFigures, string] {
  return [figures, result.traceHash];
}

function pingPongRounds(rounds: number): number[] {
  return Array.from({ length: rounds }, () => measureWorld('hash', PING_PONG_MS).deliveriesPerSec);
}

/** The scenario benchmark's figures. */
export function runScenarioBench(options: { quick: boolean }) {
  const recordsPerProducer = options.quick ? 5_000 : 50_000;
  const scenario = standardScenario(recordsPerProducer);

  // Warm up the JIT on both paths: a smaller run of the same scenario (one of 500 records a producer left the
  // first 5,000-record run 75% slower than the next), and the ping-pong.
  timedRun(standardScenario(2_000), true);
  measureWorld('hash', 100);

  // The machine is shared and noisy: each round runs the ping-pong, the scenario observed (counted) and
  // unobserved (timed), in turn first, and the ping-pong again; the round's ratio is against its own ping-pong.
  // The quick bench takes the median of three rounds (one ping-pong either side of each); the full one (minutes
  // a round) does one, with three ping-pongs either side.
  const rounds = options.quick ? 3 : 1;
  const pingPongsEachSide = options.quick ? 1 : 3;
  const perRound: Array<{ unobserved: RunFigures; observed: RunFigures; pingPong: number[]; ratio: number; ratioSimulationOnly: number; observedFirst: boolean }> = [];
  let result: RunResult | undefined;
  for (let r = 0; r < rounds; r++) {
    // A retained history would weigh on a later run's GC: of the observed run only its traceHash is kept, and
    // only the last round's unobserved result.
    const pingPong = pingPongRounds(pingPongsEachSide);
    const observedFirst = r % 2 === 0;
    let observedRun = observedFirst ? withoutHistory(timedRun(scenario, true)) : undefined;
    const { result: unobservedResult, ...unobserved } = timedRun(scenario, false);
    observedRun ??= withoutHistory(timedRun(scenario, true));
    const [observed, observedHash] = observedRun;
    if (observedHash !== unobservedResult.traceHash) {
      throw new Error(`the observed and unobserved runs differ: traceHash ${observedHash} vs ${unobservedResult.traceHash}`);
    }
    if (r === rounds - 1) result = unobservedResult;
    pingPong.push(...pingPongRounds(pingPongsEachSide));
    const ratio = observed.deliveries / unobserved.wallSeconds / median(pingPong);
    const ratioSimulationOnly = observed.deliveries / unobserved.simulationSeconds / median(pingPong);
    perRound.push({ unobserved, observed, pingPong, ratio, ratioSimulationOnly, observedFirst });
  }
  if (result === undefined) throw new Error('no rounds ran');

  const pick = (f: (round: (typeof perRound)[number]) => number) => median(perRound.map(f));
  const deliveries = perRound[0]?.observed.deliveries ?? 0;
  const produceRequests = perRound[0]?.observed.produceRequests ?? 0;
  const records = 2 * recordsPerProducer;
  const wallSeconds = pick((round) => round.unobserved.wallSeconds);
  const simulationSeconds = pick((round) => round.unobserved.simulationSeconds);
  const cpuSeconds = pick((round) => round.unobserved.cpuSeconds);
  const observedWallSeconds = pick((round) => round.observed.wallSeconds);
  const ratios = perRound.map((round) => round.ratio);
  const pingPongAll = perRound.flatMap((round) => round.pingPong);
  const usage = process.resourceUsage();
  return {
    benchmark: 'scenario',
    quick: options.quick,
    rounds,
    scenario: {
      brokers: 3,
      topic: `${TOPIC}: 6 partitions, RF 3, min ISR 2`,
      producers: `2 x ${recordsPerProducer} records, acks=all, idempotent, ${RATE_PER_SEC}/s each, keyspace ${KEYSPACE}`,
      readers: 2,
      faults: 0,
      durations: scenario.durations,
    },
    valid: result.valid,
    finalReadComplete: result.finalReadComplete,
    records: { sent: 2 * recordsPerProducer, ...recordCounts(result) },
    deliveries,
    // The application's send() calls are method calls on the producer's host, not deliveries.
    deliveriesPerRecord: Number((deliveries / records).toFixed(3)),
    produceRequests,
    recordsPerProduceRequest: Number((records / produceRequests).toFixed(2)),
    // Kafka's request pattern for the same requests (bench/requestPattern.ts): each ProduceRequest and its
    // response, the two follower fetches and two reader fetches each append wakes, and the idle traffic meanwhile.
    kafkaImpliedDeliveriesPerRecord: Number(
      kafkaDeliveriesPerRecord({
        shape: STANDARD_SHAPE,
        produceRequests,
        records,
        virtualSeconds: result.virtualMs / 1000,
        followersPerPartition: 2,
        consumersPerPartition: 2,
      }).toFixed(3),
    ),
    virtualSeconds: result.virtualMs / 1000,
    wallSeconds: Number(wallSeconds.toFixed(2)),
    simulationWallSeconds: Number(simulationSeconds.toFixed(2)),
    checkWallSeconds: Number((wallSeconds - simulationSeconds).toFixed(2)),
    deliveriesPerSec: Math.round(deliveries / wallSeconds),
    deliveriesPerSecSimulationOnly: Math.round(deliveries / simulationSeconds),
    virtualSecondsPerWallSecond: Number((result.virtualMs / 1000 / wallSeconds).toFixed(2)),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    deliveriesPerCpuSec: Math.round(deliveries / cpuSeconds),
    observedRun: {
      wallSeconds: Number(observedWallSeconds.toFixed(2)),
      deliveriesPerSec: Math.round(deliveries / observedWallSeconds),
      observerOverhead: Number((observedWallSeconds / wallSeconds - 1).toFixed(3)),
      // Which of the round's two runs went first: the order matters too (see the README's Benchmarks).
      observedFirstInRounds: perRound.map((round) => round.observedFirst),
    },
    peakHeapMB: mb(Math.max(...perRound.map((round) => round.observed.peakHeapUsed))),
    heapSampleEveryDeliveries: HEAP_SAMPLE_EVERY,
    maxRssMB: mb(usage.maxRSS * 1024),
    worldDeliveriesPerSec: Math.round(median(pingPongAll)),
    worldDeliveriesPerSecRange: [Math.round(Math.min(...pingPongAll)), Math.round(Math.max(...pingPongAll))],
    ratioScenarioToKernelPingPong: Number(median(ratios).toFixed(3)),
    ratioScenarioToKernelPingPongRange: [Number(Math.min(...ratios).toFixed(3)), Number(Math.max(...ratios).toFixed(3))],
    ratioSimulationOnlyToKernelPingPong: Number(pick((round) => round.ratioSimulationOnly).toFixed(3)),
    traceHash: result.traceHash,
    gcExposed: typeof gc === 'function',
  };
}

// The standard scenario's cluster: 3 brokers each leading 2 of the 6 partitions and following the other 4, so
// every broker fetches from both others (6 fetcher pairs); 2 readers, each fetching from all 3 leaders.
const STANDARD_SHAPE = { brokers: 3, fetcherPairs: 6, consumerSessions: 6, groupMembers: 0 } as const;

/**
 * The standard scenario's cluster with no records flowing: deliveries per virtual second over a minute of idle
 * time (from 10 s, once leaders are elected and clients connected), beside what Kafka's own request pattern gives
 * the same cluster (bench/requestPattern.ts: broker heartbeats, follower and reader long-poll fetches).
 */
export function runIdleClusterBench() {
  const idle = standardScenario(0);
  const fromMs = 10_000;
  const toMs = 70_000;
  const scenario = { ...idle, durations: { startupMs: 5_000, safetyMs: toMs, quietMs: 1, finalReadMs: 10_000 } };
  const byType = new Map<string, number>();
  let deliveries = 0;
  runScenario(scenario, {
    trace: 'hash',
    onWorld: (world) =>
      world.events$.subscribe((event) => {
        if (event.kind !== 'delivered' || event.atMs < fromMs || event.atMs >= toMs) return;
        deliveries++;
        byType.set(event.envelope.message.type, (byType.get(event.envelope.message.type) ?? 0) + 1);
      }),
  });
  const seconds = (toMs - fromMs) / 1_000;
  const kafka = kafkaIdleDeliveriesPerSecond(STANDARD_SHAPE);
  const perSecond = deliveries / seconds;
  return {
    cluster: '3 brokers, 6 partitions RF 3, 2 idle producers, 2 readers (the standard scenario, no records)',
    virtualSeconds: seconds,
    deliveriesPerVirtualSecond: Number(perSecond.toFixed(1)),
    kafkaImpliedPerVirtualSecond: kafka.total,
    kafkaImpliedParts: kafka.parts,
    ratioToKafka: Number((perSecond / kafka.total).toFixed(2)),
    byType: Object.fromEntries([...byType].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, n]) => [type, Number((n / seconds).toFixed(1))])),
  };
}

/** The heap the million-record run may use: the old space's cap and the young generation's semi-spaces. */
export const MILLION_HEAP_LIMIT = { oldSpaceMB: 950, semiSpaceMB: 16 } as const;

/**
 * 1,000,000 records produced (two producers, 500,000 each) and read back by one reader, for the heap target. The run
 * goes in a child process whose heap V8 caps below 1 GB (old space 950 MB, semi-spaces 16 MB: young generation at
 * most 48 MB): it finishes only if its live data never needed more, so `fitsHeapLimit` is the target, measured with
 * the garbage collector doing its job. `peakHeapMB` is heapUsed sampled every few thousand deliveries (live data
 * and garbage not yet collected).
 */
export function runMillionRecords() {
  const args = [
    `--max-old-space-size=${MILLION_HEAP_LIMIT.oldSpaceMB}`,
    `--max-semi-space-size=${MILLION_HEAP_LIMIT.semiSpaceMB}`,
    '--expose-gc',
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--million-child',
  ];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const heapLimitMB = MILLION_HEAP_LIMIT.oldSpaceMB + 3 * MILLION_HEAP_LIMIT.semiSpaceMB;
  if (child.status !== 0) {
    const why = child.signal ?? `exit ${String(child.status)}`;
    return { fitsHeapLimit: false, heapLimitMB, failure: `${why}: ${child.stderr.trim().split('\n').filter((line) => !/^\s*\d+: 0x/.test(line)).slice(-3).join(' | ')}` };
  }
  return { fitsHeapLimit: true, heapLimitMB, ...(JSON.parse(child.stdout) as object) };
}

// The child's side of runMillionRecords.
function millionRecordsRun() {
  const scenario = { ...standardScenario(500_000), readers: [{ id: 'reader-1', topics: [TOPIC] }] };
  const run = timedRun(scenario, true);
  const counts = recordCounts(run.result);
  return {
    records: { sent: 1_000_000, acked: counts.acked, read: counts.read },
    valid: run.result.valid,
    finalReadComplete: run.result.finalReadComplete,
    wallSeconds: Number(run.wallSeconds.toFixed(1)),
    virtualSeconds: run.result.virtualMs / 1000,
    deliveries: run.deliveries,
    peakHeapMB: mb(run.peakHeapUsed),
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--million-child')) {
  console.log(JSON.stringify(millionRecordsRun()));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const kernel = process.argv.includes('--with-kernel') ? runKernelBench({ quick }) : undefined;
  const scenario = runScenarioBench({ quick });
  const idleCluster = runIdleClusterBench();
  console.log(JSON.stringify(kernel === undefined ? { ...scenario, idleCluster } : { kernel, scenario, idleCluster }, null, 2));
  if (scenario.valid !== true || !scenario.finalReadComplete) {
    console.error(`the standard scenario failed: valid ${String(scenario.valid)}, finalReadComplete ${String(scenario.finalReadComplete)}`);
    process.exitCode = 1;
  }
}
