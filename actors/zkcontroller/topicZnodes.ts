import { assignReplicasToBrokers } from '../controller/assignReplicasToBrokers.ts';
import type { Draw } from '../controller/Draw.ts';
import { applyWrite, emptyDataTree } from '../zookeeper/dataTree.ts';
import type { ZkDisk } from '../zookeeper/zookeeperServer.ts';
import type { ZkOp } from '../../src/protocol/zookeeperMessages.ts';

// The topics of a ZooKeeper-mode cluster as an operator creates them before the brokers start (`kafka-topics.sh
// --zookeeper`, `AdminZkClient#createTopic`): each topic's replica assignment, placed as ZooKeeper-era Kafka places
// it (`AdminUtils.assignReplicasToBrokers`), written to `/brokers/topics/<topic>` (TopicZNode). The controller finds
// them when it is elected and creates each partition's state (newPartitions.ts).

/** A topic to create. */
export interface TopicToCreate {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

/** `/brokers/topics/<topic>`'s data (TopicZNode, version 2: no topic id). */
export function topicZNodeData(assignments: readonly (readonly number[])[]): Record<string, unknown> {
  return { version: 2, partitions: Object.fromEntries(assignments.map((replicas, p) => [String(p), [...replicas]])), adding_replicas: {}, removing_replicas: {} };
}

/** The ZooKeeper server's first disk: `/brokers`, `/brokers/topics` and each topic's assignment. */
export function zookeeperWithTopics(brokerIds: readonly number[], topics: readonly TopicToCreate[], draw: Draw): ZkDisk {
  const ops: ZkOp[] = [
    { op: 'create', path: '/brokers', data: null, ephemeral: false },
    { op: 'create', path: '/brokers/topics', data: null, ephemeral: false },
  ];
  for (const topic of topics) {
    const placed = assignReplicasToBrokers(brokerIds, topic, draw);
    if (!placed.ok) throw new Error(`topic ${topic.name}: ${placed.message}`);
    ops.push({ op: 'create', path: `/brokers/topics/${topic.name}`, data: topicZNodeData(placed.assignments), ephemeral: false });
  }
  const written = applyWrite(emptyDataTree(), ops, 0, 0);
  return { zxid: written.tree.zxid, nodes: written.tree.nodes, sessions: {}, nextSessionId: 1 };
}
