// What a ZooKeeper-mode cluster's state is, read where Kafka keeps it: in ZooKeeper. The run's checks and fault
// targets read the KRaft controller's metadata image; in ZooKeeper mode they read the same shape built from the
// ZooKeeper server's data tree (the brokers registered under `/brokers/ids`, each topic's assignment, each
// partition's state znode), and `/controller` names the broker that controls the cluster.
import type { BrokerRegistration, MetadataImage, PartitionRegistration } from '../../actors/controller/metadataImage.ts';
import type { ZkServerState } from '../../actors/zookeeper/zookeeperServer.ts';
import { CONTROLLER_PATH } from '../../actors/zkcontroller/controllerElection.ts';
import { partitionStatePath, readPartitionStateZNode } from '../../actors/zkcontroller/brokerFailure.ts';
import type { World } from '../kernel/World.ts';
import { brokerNodeId, CONTROLLER_NODE_ID } from '../protocol/nodeIds.ts';
import { ZOOKEEPER_NODE_ID } from '../protocol/zookeeperMessages.ts';

/** Whether the run's cluster is in ZooKeeper mode (it has a ZooKeeper server). */
export function hasZooKeeper(world: World): boolean {
  return world.nodeIds().includes(ZOOKEEPER_NODE_ID);
}

/** The ZooKeeper server's data tree, or undefined while it is down. */
function zookeeperNodes(world: World): ZkServerState['tree']['nodes'] | undefined {
  return (world.snapshot(ZOOKEEPER_NODE_ID)?.context as { server?: ZkServerState } | undefined)?.server?.tree.nodes;
}

/**
 * The cluster's metadata as an image: the KRaft controller's, or in ZooKeeper mode the one ZooKeeper's data tree
 * holds (broker epochs are the registrations' czxids; partition epochs the state znodes' versions).
 */
export function clusterMetadataImage(world: World): MetadataImage | undefined {
  if (!hasZooKeeper(world)) return (world.snapshot(CONTROLLER_NODE_ID)?.context as { image?: MetadataImage } | undefined)?.image;
  const nodes = zookeeperNodes(world);
  if (nodes === undefined) return undefined;
  const brokers: Record<number, BrokerRegistration> = {};
  for (const child of nodes['/brokers/ids']?.children ?? []) {
    const id = Number(child);
    brokers[id] = { id, incarnationId: '', epoch: nodes[`/brokers/ids/${child}`]?.stat.czxid ?? -1, fenced: false, lastHeartbeatMs: null };
  }
  const topics: Record<string, { partitions: PartitionRegistration[] }> = {};
  for (const topic of nodes['/brokers/topics']?.children ?? []) {
    const assignment = (nodes[`/brokers/topics/${topic}`]?.data as { partitions?: Record<string, number[]> } | undefined)?.partitions ?? {};
    const partitions: PartitionRegistration[] = [];
    for (const [index, replicas] of Object.entries(assignment)) {
      const znode = nodes[partitionStatePath(topic, Number(index))];
      const state = znode === undefined ? null : readPartitionStateZNode(znode.data, znode.stat.version);
      partitions[Number(index)] = {
        replicas,
        isr: state?.isr ?? [],
        leader: state?.leader ?? -1,
        leaderEpoch: state?.leaderEpoch ?? -1,
        partitionEpoch: state?.partitionEpoch ?? -1,
      };
    }
    topics[topic] = { partitions };
  }
  return { offset: nodes['/']?.stat.pzxid ?? 0, brokers, topics };
}

/** In ZooKeeper mode, the node of the broker `/controller` names (undefined while none holds it). */
export function zookeeperController(world: World): string | undefined {
  if (!hasZooKeeper(world)) return undefined;
  const data = zookeeperNodes(world)?.[CONTROLLER_PATH]?.data as { brokerid?: number } | undefined;
  return typeof data?.brokerid === 'number' ? brokerNodeId(data.brokerid) : undefined;
}
