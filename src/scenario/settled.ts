// When the quiet period may end: the cluster has settled. A run heals every fault, restarts and resumes every node,
// then waits for what the faults left unfinished before the final read judges the run. Waiting a fixed time wastes
// most of it (a run's faults usually heal in a few seconds) and still guesses; this waits until nothing is left:
//
// - every node is up (nothing paused or down);
// - every broker is registered, unfenced and not shutting down at the controller, and has caught up with the
//   metadata log (its listeners are open);
// - every partition has a leader and a full ISR (no pending AlterPartition), the leader has taken the controller's
//   leader epoch, its high watermark is its log end, and every replica has the controller's epoch and the leader's
//   log end (what Kafka's tools report as no under-replicated and no offline partitions);
// - every send a producer was asked for has its answer (acknowledged or failed);
// - every consumer that is subscribed is a STABLE member of its group's current generation; the coordinator holds
//   the group Stable with exactly those members and every subscribed partition assigned, and has heard from each
//   member since the heal (a session renewed before it may expire for the heartbeats the faults cut off); every
//   member has processed its partitions up to the high watermark (no lag, nothing polled and still in hand); and
//   every consumer that should be running (it never closes and did not fail) is subscribed.
//
// The run asks at every invariant sample and ends the quiet period at the second settled answer in a row (a node
// resumed at the heal acts on the time it slept through only as it runs again). The answer names the first thing
// still unsettled, so a run that reaches the cap can say what it waited for.
import type { BrokerState } from '../../actors/broker/BrokerState.ts';
import type { ConsumerState } from '../../actors/consumer/ConsumerState.ts';
import type { MetadataImage } from '../../actors/controller/metadataImage.ts';
import { isProcessingIdle } from '../../actors/consumer/processing.ts';
import { topicPartitionKey } from '../protocol/messages.ts';
import type { World } from '../kernel/World.ts';
import { brokerNodeId } from '../protocol/nodeIds.ts';
import { clusterMetadataImage } from './zookeeperView.ts';
import { brokerStateOf, coordinatorGroups } from './clusterSample.ts';
import type { ConsumerSpec } from './Scenario.ts';

/** What the settle rule needs to know of the run beyond the World. */
export interface SettleView {
  readonly brokerIds: readonly number[];
  /** Whether a producer's send is still waiting for its answer. */
  readonly sendsOpen: () => boolean;
  readonly consumers: ReadonlyArray<Pick<ConsumerSpec, 'groupId' | 'stopMs'> & { id: string }>;
  /** When the faults were healed: the coordinator must have heard from every member since. */
  readonly sinceMs: number;
  /** The partition keys each group subscribes to. */
  readonly partitionsOf: (groupId: string) => readonly string[];
  /** Real client applications in consumer groups (kafkajs), by node and group; absent: none. */
  readonly appConsumers?: ReadonlyArray<{ id: string; groupId: string }>;
}

/** What the cluster still waits for (the first thing found), or null when it has settled. */
export function unsettled(world: World, view: SettleView): string | null {
  for (const id of world.nodeIds()) {
    const status = world.status(id);
    if (status !== 'up') return `${id} is ${status}`;
  }
  const image = clusterMetadataImage(world);
  if (image === undefined) return 'the controller has no metadata image';
  const brokers = new Map<number, BrokerState>();
  for (const brokerId of view.brokerIds) {
    const registration = image.brokers[brokerId];
    const node = brokerNodeId(brokerId);
    if (registration === undefined || registration.fenced || registration.inControlledShutdown === true) return `${node} is not registered and unfenced`;
    const state = brokerStateOf(world, brokerId);
    if (state === undefined || !state.caughtUp) return `${node} has not caught up with the metadata log`;
    brokers.set(brokerId, state);
  }
  const highWatermarks = new Map<string, number>();
  const partition = unsettledPartition(image, brokers, highWatermarks);
  if (partition !== null) return partition;
  if (view.sendsOpen()) return 'a send is waiting for its answer';
  return unsettledGroup(world, view, highWatermarks) ?? unsettledAppGroups(world, view);
}

// A member's lag: a partition it owns whose records up to the high watermark it has not all processed (or whose
// start it is still looking up), or records it polled and is still processing; null when it has none.
function unprocessed(state: ConsumerState, highWatermarks: ReadonlyMap<string, number>): string | null {
  const { offsets, processing } = state;
  if (!isProcessingIdle(processing)) return 'the records it polled';
  for (const [topic, partition] of state.membership.ownedPartitions) {
    const key = topicPartitionKey(topic, partition);
    const processed = offsets.processed[key];
    const end = highWatermarks.get(key);
    if (processed === undefined || end === undefined || processed < end) return `${key} up to ${end ?? 'its high watermark'}`;
  }
  return null;
}

function unsettledPartition(image: MetadataImage, brokers: ReadonlyMap<number, BrokerState>, highWatermarks: Map<string, number>): string | null {
  for (const [topic, { partitions }] of Object.entries(image.topics)) {
    for (const [index, registration] of partitions.entries()) {
      const key = `${topic}-${index}`;
      const { leader, leaderEpoch, replicas, isr } = registration;
      if (leader < 0) return `${key} has no leader`;
      if (isr.length < replicas.length) return `${key} has ISR [${isr.join(', ')}] of replicas [${replicas.join(', ')}]`;
      const led = brokers.get(leader)?.partitions[key];
      if (led === undefined || led.leader !== leader || led.leaderEpoch !== leaderEpoch) return `${key}: broker-${leader} has not taken leader epoch ${leaderEpoch}`;
      if (led.pendingIsr !== null) return `${key}: an ISR change is pending`;
      const end = led.log.logEndOffset;
      if (led.log.highWatermark < end) return `${key}: high watermark ${led.log.highWatermark} below the log end ${end}`;
      highWatermarks.set(key, end);
      for (const replica of replicas) {
        const follower = brokers.get(replica)?.partitions[key];
        if (follower === undefined || follower.leaderEpoch !== leaderEpoch || follower.log.logEndOffset !== end) return `${key}: broker-${replica} is not at the leader's log end ${end} in epoch ${leaderEpoch}`;
      }
    }
  }
  return null;
}

// A group of real client applications is settled once its coordinator holds it Stable with one member per running
// application, every member heard from since the heal, and every partition assigned. Their processing is not
// visible here (no machine state to read): the run's drain phase waits for it.
function unsettledAppGroups(world: World, view: SettleView): string | null {
  const apps = view.appConsumers ?? [];
  if (apps.length === 0) return null;
  const groups = coordinatorGroups(world, view.brokerIds);
  for (const groupId of new Set(apps.map((app) => app.groupId))) {
    const running = apps.filter((app) => app.groupId === groupId && world.status(app.id) === 'up').length;
    const group = groups[groupId];
    if (group === undefined || group.state !== 'Stable') return `group ${groupId} is ${group?.state ?? 'not loaded by a coordinator'}`;
    if (group.members.length !== running) return `group ${groupId} has ${group.members.length} members for ${running} running applications`;
    const silent = group.members.find((member) => member.lastHeartbeatMs < view.sinceMs);
    if (silent !== undefined) return `the coordinator has not heard from ${silent.memberId} since the heal`;
    const assigned = new Set(group.members.flatMap((member) => member.assignment.map(([topic, partition]) => topicPartitionKey(topic, partition))));
    const unassigned = view.partitionsOf(groupId).filter((key) => !assigned.has(key));
    if (unassigned.length > 0) return `group ${groupId} leaves ${unassigned.join(', ')} unassigned`;
  }
  return null;
}

function unsettledGroup(world: World, view: SettleView, highWatermarks: ReadonlyMap<string, number>): string | null {
  if (view.consumers.length === 0) return null;
  const groups = coordinatorGroups(world, view.brokerIds);
  const byGroup = new Map<string, Array<{ id: string; state: ConsumerState; closes: boolean }>>();
  for (const consumer of view.consumers) {
    const state = (world.snapshot(consumer.id)?.context as { state?: ConsumerState } | undefined)?.state;
    if (state === undefined) return `${consumer.id} is not running`;
    const members = byGroup.get(consumer.groupId) ?? [];
    members.push({ id: consumer.id, state, closes: consumer.stopMs !== undefined });
    byGroup.set(consumer.groupId, members);
  }
  for (const [groupId, consumers] of byGroup) {
    for (const { id, state, closes } of consumers) {
      if (!closes && state.status === 'idle') return `${id} has not subscribed yet`;
    }
    const subscribed = consumers.filter(({ state }) => state.status === 'subscribed');
    if (subscribed.length === 0) continue;
    const group = groups[groupId];
    if (group === undefined || group.state !== 'Stable') return `group ${groupId} is ${group?.state ?? 'not loaded by a coordinator'}`;
    const members = new Map(group.members.map((member) => [member.memberId, member]));
    for (const { id, state } of subscribed) {
      const { memberId, generationId, state: memberState } = state.membership;
      if (memberState !== 'STABLE' || generationId !== group.generationId || !members.has(memberId)) return `${id} is not a stable member of ${groupId}'s generation ${group.generationId}`;
      // A session renewed before the heal may be about to expire for the heartbeats the faults cut off.
      if ((members.get(memberId)?.lastHeartbeatMs ?? -1) < view.sinceMs) return `the coordinator has not heard from ${id} since the heal`;
    }
    if (members.size !== subscribed.length) return `group ${groupId} has members that no running consumer is`;
    for (const { id, state } of subscribed) {
      const lag = unprocessed(state, highWatermarks);
      if (lag !== null) return `${id} has not processed ${lag}`;
    }
    const assigned = new Set(group.members.flatMap((member) => member.assignment.map(([topic, partition]) => topicPartitionKey(topic, partition))));
    const unassigned = view.partitionsOf(groupId).filter((key) => !assigned.has(key));
    if (unassigned.length > 0) return `group ${groupId} leaves ${unassigned.join(', ')} unassigned`;
  }
  return null;
}
