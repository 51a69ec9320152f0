// Reads the cluster's state out of a World: the sample the invariants check during a run, and the final state
// a run returns. Brokers' states are read from their snapshots (plain data); nothing is copied but the summary.
import type { BrokerState } from '../../actors/broker/BrokerState.ts';
import type { GroupMetadata } from '../../actors/coordinator/GroupMetadata.ts';
import type { ClusterSample, ReplicaSample } from '../checker/ClusterSample.ts';
import type { FinalGroup } from '../checker/group/groupConvergence.ts';
import type { World } from '../kernel/World.ts';
import type { NodeStatus } from '../kernel/NodeHost.ts';
import { brokerNodeId, CONTROLLER_NODE_ID } from '../protocol/nodeIds.ts';
import { parseTopicPartitionKey } from '../protocol/messages.ts';
import { clusterMetadataImage, hasZooKeeper, zookeeperController } from './zookeeperView.ts';

/** A broker's state, or undefined while it is down. */
export function brokerStateOf(world: World, brokerId: number): BrokerState | undefined {
  return (world.snapshot(brokerNodeId(brokerId))?.context as { state?: BrokerState } | undefined)?.state;
}

/** Every live replica of every partition now. */
export function sampleCluster(world: World, brokerIds: readonly number[]): ClusterSample {
  const partitions: Record<string, ReplicaSample[]> = {};
  for (const brokerId of brokerIds) {
    const state = brokerStateOf(world, brokerId);
    if (state === undefined) continue;
    for (const [key, replica] of Object.entries(state.partitions)) {
      (partitions[key] ??= []).push({
        broker: brokerId,
        isLeader: replica.leader === brokerId,
        incarnation: state.incarnationId,
        leaderEpoch: replica.leaderEpoch,
        highWatermark: replica.log.highWatermark,
        logEndOffset: replica.log.logEndOffset,
        batches: replica.log.batches,
      });
    }
  }
  return { atMs: world.now, partitions };
}

/** One replica as the final state reports it. */
export interface ReplicaSummary {
  leader: number;
  leaderEpoch: number;
  isr: readonly number[];
  highWatermark: number;
  logEndOffset: number;
  flushedOffset: number;
}

/** The cluster at the end of a run: each broker's replicas and the controller's view of each partition. */
export interface ClusterState {
  brokers: Record<string, { status: NodeStatus; brokerEpoch: number; partitions: Record<string, ReplicaSummary> }>;
  controller: { status: NodeStatus; metadataOffset: number; partitions: Record<string, { replicas: readonly number[]; leader: number; leaderEpoch: number; isr: readonly number[]; elr?: readonly number[] }> };
}

/** The final state of the cluster. */
export function clusterState(world: World, brokerIds: readonly number[]): ClusterState {
  const brokers: ClusterState['brokers'] = {};
  for (const brokerId of brokerIds) {
    const state = brokerStateOf(world, brokerId);
    const partitions: Record<string, ReplicaSummary> = {};
    for (const [key, replica] of Object.entries(state?.partitions ?? {})) {
      const { log } = replica;
      partitions[key] = {
        leader: replica.leader,
        leaderEpoch: replica.leaderEpoch,
        isr: replica.isr,
        highWatermark: log.highWatermark,
        logEndOffset: log.logEndOffset,
        flushedOffset: log.flushedOffset,
      };
    }
    brokers[brokerNodeId(brokerId)] = { status: world.status(brokerNodeId(brokerId)), brokerEpoch: state?.brokerEpoch ?? -1, partitions };
  }
  const image = clusterMetadataImage(world);
  const partitions: ClusterState['controller']['partitions'] = {};
  for (const [topic, { partitions: registrations }] of Object.entries(image?.topics ?? {})) {
    registrations.forEach((registration, partition) => {
      const { replicas, leader, leaderEpoch, isr, elr } = registration;
      partitions[`${topic}-${partition}`] = { replicas, leader, leaderEpoch, isr, ...(elr === undefined ? {} : { elr }) };
    });
  }
  // In ZooKeeper mode the controller is the broker `/controller` names (down when none does).
  const controllerNode = hasZooKeeper(world) ? zookeeperController(world) : CONTROLLER_NODE_ID;
  const status = controllerNode === undefined ? 'down' : world.status(controllerNode);
  return { brokers, controller: { status, metadataOffset: image?.offset ?? -1, partitions } };
}

/**
 * A partition's replicas and leader as the controller sees them now; while the controller is down, as the first
 * live broker's metadata image has them (what a client's metadata request would say).
 */
export function partitionView(world: World, brokerIds: readonly number[], key: string): { replicas: readonly number[]; leader: number } | undefined {
  const { topic, partition } = parseTopicPartitionKey(key);
  const images = [
    clusterMetadataImage(world),
    ...brokerIds.map((id) => brokerStateOf(world, id)?.image),
  ];
  for (const image of images) {
    const registration = image?.topics[topic]?.partitions[partition];
    if (registration !== undefined) return registration;
  }
  return undefined;
}

/**
 * Every group as its coordinator holds it now: for each group, the loaded shard of the up broker with the newest
 * leader epoch of the group's `__consumer_offsets` partition (a deposed coordinator may still hold an old copy).
 */
export function coordinatorGroups(world: World, brokerIds: readonly number[]): Record<string, GroupMetadata> {
  const best: Record<string, { leaderEpoch: number; group: GroupMetadata }> = {};
  for (const brokerId of brokerIds) {
    const shards = brokerStateOf(world, brokerId)?.coordinator.shards ?? {};
    for (const shard of Object.values(shards)) {
      if (!shard.loaded) continue;
      for (const group of Object.values(shard.groups)) {
        const current = best[group.groupId];
        if (current !== undefined && current.leaderEpoch >= shard.leaderEpoch) continue;
        best[group.groupId] = { leaderEpoch: shard.leaderEpoch, group };
      }
    }
  }
  return Object.fromEntries(Object.entries(best).map(([groupId, { group }]) => [groupId, group]));
}

/** Every group as its coordinator holds it now (coordinatorGroups), in the shape the convergence check reads. */
export function finalGroups(world: World, brokerIds: readonly number[]): Record<string, FinalGroup> {
  return Object.fromEntries(
    Object.entries(coordinatorGroups(world, brokerIds)).map(([groupId, group]) => {
      const assignments = Object.fromEntries(group.members.map((m) => [m.memberId, m.assignment.map(([topic, p]) => `${topic}-${p}`)]));
      return [groupId, { state: group.state, generation: group.generationId, assignments }];
    }),
  );
}
