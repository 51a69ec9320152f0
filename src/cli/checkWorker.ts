// One worker thread of `kafka-sim check --workers N`: explores its shard of the runs and posts what it found.
import { parentPort, workerData } from 'node:worker_threads';
import { exploreRuns, shardRuns } from '../../properties/checkProperty.ts';
import type { KafkaProfileName } from '../scenario/kafkaProfile.ts';
import type { PropertyName, WeakeningName } from '../scenario/weakenings.ts';

/** What the main thread gives a worker. */
export interface CheckWorkerData {
  property: PropertyName;
  weakenings: WeakeningName[];
  seed: number;
  runs: number;
  index: number;
  count: number;
  kafkaVersion?: KafkaProfileName | undefined;
  shutdowns?: boolean;
}

const data = workerData as CheckWorkerData;
const result = exploreRuns(data.property, data.weakenings, { seed: data.seed, runs: shardRuns(data.runs, data.index, data.count), kafkaVersion: data.kafkaVersion, shutdowns: data.shutdowns === true });
parentPort?.postMessage(result);
