// A three-broker cluster whose brokers serve real clients (wire gateways), with kafkajs applications on nodes of
// their own, driven by the real-client harness: what the real-client tests share.
import { brokerMachine } from '../../actors/broker/brokerMachine.ts';
import { controllerMachine } from '../../actors/controller/controllerMachine.ts';
import { createWorld, type World } from '../../src/kernel/World.ts';
import { CONSUMER_OFFSETS_TOPIC } from '../../src/protocol/groupMessages.ts';
import { brokerNodeId, CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import { kafkajsClient, type KafkajsApp } from '../../src/realclients/kafkajs.ts';
import { RealClientHarness } from '../../src/realclients/RealClientHarness.ts';
import { RealClientHost } from '../../src/realclients/RealClientHost.ts';
import { BROKER_PORT } from '../../src/realclients/wireApis.ts';
import { wireGateway } from '../../src/realclients/WireGateway.ts';

export const brokerIds = [1, 2, 3];
export const bootstrap = brokerIds.map((id) => `${brokerNodeId(id)}:${BROKER_PORT}`);

export interface NoteSeen {
  node: string;
  atMs: number;
  incarnation: number;
  data: Record<string, unknown>;
}

/** Builds the cluster (topic `orders`, 6 partitions, RF 3) and lets it start; `use` runs with the harness installed. */
export async function withKafkajsCluster<T>(seed: number, use: (cluster: { world: World; harness: RealClientHarness; notes: NoteSeen[]; addApp(id: string, app: KafkajsApp): void }) => Promise<T>): Promise<T> {
  const world = createWorld({ seed, trace: process.env.FULL ? 'full' : 'hash' });
  const topics = [
    { name: 'orders', numPartitions: 6, replicationFactor: 3 },
    { name: CONSUMER_OFFSETS_TOPIC, numPartitions: 3, replicationFactor: 3 },
  ];
  world.addNode(CONTROLLER_NODE_ID, controllerMachine, { input: { brokerIds, topics, config: {} } });
  for (const brokerId of brokerIds) world.addNode(brokerNodeId(brokerId), brokerMachine, { input: { brokerId, config: {} }, adapter: wireGateway });
  const notes: NoteSeen[] = [];
  world.notes$.subscribe((note) => notes.push(note as NoteSeen));
  const harness = new RealClientHarness(world);
  harness.install();
  try {
    await harness.runFor(3_000);
    const addApp = (id: string, app: KafkajsApp) =>
      world.addHost(id, (context) => new RealClientHost(id, kafkajsClient(app, { brokers: bootstrap }), context, harness, BROKER_PORT));
    return await use({ world, harness, notes, addApp });
  } finally {
    harness.uninstall();
  }
}
