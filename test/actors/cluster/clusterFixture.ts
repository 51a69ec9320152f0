import { brokerMachine, type BrokerInput } from '../../../actors/broker/brokerMachine.ts';
import type { BrokerState } from '../../../actors/broker/BrokerState.ts';
import { controllerMachine, type ControllerInput } from '../../../actors/controller/controllerMachine.ts';
import type { MetadataImage } from '../../../actors/controller/metadataImage.ts';
import { createWorld, type World } from '../../../src/kernel/World.ts';
import type { BusEvent } from '../../../src/kernel/Bus.ts';
import type { KafkaMessage } from '../../../src/protocol/messages.ts';
import { brokerNodeId, CONTROLLER_NODE_ID } from '../../../src/protocol/nodeIds.ts';

/** A controller and `brokers` brokers with one topic, booted in a fresh World. */
export interface ClusterOptions {
  seed?: number | string;
  brokers?: number;
  topic?: { name: string; numPartitions: number; replicationFactor: number };
  brokerConfig?: BrokerInput['config'];
  controllerConfig?: ControllerInput['config'];
}

export interface Cluster {
  world: World;
  brokerIds: number[];
  /** Messages delivered to 'world' (answers to injected requests), in order. */
  replies: Array<KafkaMessage & { from: string }>;
  broker(id: number): BrokerState;
  controllerImage(): MetadataImage;
  leaderOf(topic: string, partition: number): number;
}

export function startCluster(options: ClusterOptions = {}): Cluster {
  const world = createWorld({ seed: options.seed ?? 1 });
  const brokerIds = Array.from({ length: options.brokers ?? 3 }, (_, i) => i + 1);
  const topic = options.topic ?? { name: 't', numPartitions: 3, replicationFactor: 3 };
  const replies: Array<KafkaMessage & { from: string }> = [];
  world.events$.subscribe((event: BusEvent) => {
    if (event.kind === 'delivered' && event.envelope.to === 'world') {
      replies.push({ ...(event.envelope.message as unknown as KafkaMessage), from: event.envelope.from });
    }
  });
  world.addNode(CONTROLLER_NODE_ID, controllerMachine, { input: { brokerIds, topics: [topic], ...(options.controllerConfig ? { config: options.controllerConfig } : {}) } });
  for (const id of brokerIds) {
    world.addNode(brokerNodeId(id), brokerMachine, { input: { brokerId: id, ...(options.brokerConfig ? { config: options.brokerConfig } : {}) } });
  }
  const broker = (id: number) => (world.snapshot(brokerNodeId(id))?.context as { state: BrokerState }).state;
  const controllerImage = () => (world.snapshot(CONTROLLER_NODE_ID)?.context as { image: MetadataImage }).image;
  const leaderOf = (name: string, partition: number) => controllerImage().topics[name]?.partitions[partition]?.leader ?? -1;
  return { world, brokerIds, replies, broker, controllerImage, leaderOf };
}
