import { brokerHeartbeat, registerBroker } from '../../../actors/controller/brokerRegistration.ts';
import type { Draw } from '../../../actors/controller/Draw.ts';
import { emptyMetadataImage, replayAll } from '../../../actors/controller/metadataImage.ts';
import type { MetadataImage, MetadataRecord, PartitionRegistration } from '../../../actors/controller/metadataImage.ts';

/** Elections with unclean leader election off, the default. */
export const clean = { uncleanLeaderElectionEnable: false } as const;
/** Elections with unclean leader election on. */
export const unclean = { uncleanLeaderElectionEnable: true } as const;
/** Kafka's default session timeout. */
export const sessionTimeoutMs = 9_000;

/** A draw that returns `values` in order and fails the test when it runs out. */
export function scriptedDraw(values: readonly number[]): Draw & { readonly used: () => number } {
  let i = 0;
  return {
    next() {
      const value = values[i];
      if (value === undefined) throw new Error(`scriptedDraw: only ${values.length} draws scripted`);
      i++;
      return value;
    },
    used: () => i,
  };
}

/** A draw from a small LCG, for properties that need many draws but no particular ones. */
export function seededDraw(seed: number): Draw {
  let state = seed >>> 0;
  return {
    next() {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      return state / 2 ** 32;
    },
  };
}

/** An image where each broker registered and then heartbeated itself unfenced, all at `nowMs`. */
export function unfencedCluster(brokerIds: readonly number[], nowMs = 0): MetadataImage {
  let image = emptyMetadataImage();
  for (const brokerId of brokerIds) {
    const registered = registerBroker(image, { brokerId, incarnationId: `inc-${brokerId}` }, { nowMs, brokerSessionTimeoutMs: sessionTimeoutMs });
    image = registered.image;
    const heartbeat = {
      brokerId,
      brokerEpoch: registered.response.brokerEpoch,
      currentMetadataOffset: image.offset,
      wantFence: false,
      wantShutDown: false,
    };
    image = brokerHeartbeat(image, heartbeat, { ...clean, nowMs }).image;
  }
  return image;
}

/** The image plus a topic whose partitions have exactly the given registrations. */
export function withTopic(image: MetadataImage, name: string, partitions: readonly PartitionRegistration[]): MetadataImage {
  const records: MetadataRecord[] = [
    { type: 'Topic', name },
    ...partitions.map((registration, partition) => ({ type: 'Partition' as const, topic: name, partition, ...registration })),
  ];
  return replayAll(image, records);
}

/** A fresh partition registration: epochs 0, the ISR given (all replicas by default), leader = first ISR member. */
export function registration(replicas: readonly number[], isr: readonly number[] = replicas, leader = isr[0] ?? -1): PartitionRegistration {
  return { replicas, isr, leader, leaderEpoch: 0, partitionEpoch: 0 };
}
