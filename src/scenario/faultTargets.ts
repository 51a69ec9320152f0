// Faults aimed at roles instead of machines. A scenario's fault may name `leader:<topic>-<partition>` (the
// partition's leader when the fault applies, in the controller's view) or `follower:<topic>-<partition>` (the
// first replica in replica order that is not the leader and is still up), as well as plain node ids; a
// partition's groups may also name `followers:<topic>-<partition>`, every replica but the leader, and any fault
// may name `coordinator:<groupId>`, the broker leading the group's `__consumer_offsets` partition. Jepsen's
// nemeses target `:primaries` the same way: a fault that hits the leader finds the bugs that matter far more often
// than one that hits a random node. Resolution is deterministic (it reads the run's own state), so a capsule
// that stores the symbolic fault replays it exactly.
//
// A fault that undoes another (restart, resume, a link reset) names the same role and reaches the node that the
// opening fault hit, first opened first closed, even if the role has moved since.
//
// One role is not a node at the fault's time but an event after it: `next-leader:<topic>-<p>`, the broker that next
// takes the partition's leadership (a leader epoch above the one in force when the fault's time came). A crash,
// power loss, shutdown or pause naming it waits for that broker's first step as leader and hits it then, before its
// followers have heard of the change: the moment of a back-to-back failover (KAFKA-6361), which no fixed time can
// aim at, since when a controller fences a silent broker depends on its heartbeats. The runner arms it
// (`nextLeaderPartition`, nextLeaderFaults.ts) and reports the broker here (`fired`), so that the closing fault
// reaches it.
import { CONSUMER_OFFSETS_TOPIC } from '../protocol/groupMessages.ts';
import { coordinatorPartition } from '../protocol/coordinatorPartition.ts';
import type { Fault } from '../faults/Fault.ts';
import type { NodeStatus } from '../kernel/NodeHost.ts';
import { brokerNodeId } from '../protocol/nodeIds.ts';

/** What resolution reads: each partition's replicas and leader (controller's view) and each node's status. */
export interface TargetView {
  partition(key: string): { replicas: readonly number[]; leader: number } | undefined;
  status(nodeId: string): NodeStatus;
  /** The `__consumer_offsets` partition count, for `coordinator:<groupId>` (absent: no groups in the run). */
  offsetsPartitions?: number;
  /** ZooKeeper mode: the broker elected controller now (`controller` is then a role); absent in KRaft mode. */
  controller?: () => string | undefined;
}

/** The role a node fault may name to hit the partition's next leader as it takes over. */
export const NEXT_LEADER_ROLE = 'next-leader:';

/** True when a fault target names a role rather than a node. */
export function isRoleTarget(target: string): boolean {
  return (
    target.startsWith('leader:') ||
    target.startsWith('follower:') ||
    target.startsWith('followers:') ||
    target.startsWith('coordinator:') ||
    target.startsWith(NEXT_LEADER_ROLE)
  );
}

/**
 * The partition key of an opening node fault that waits for the partition's next leader (`next-leader:<key>`), or
 * undefined for any other fault (a closing fault naming the role resolves as every closing fault does).
 */
export function nextLeaderPartition(fault: Fault): string | undefined {
  if (fault.kind !== 'crash' && fault.kind !== 'powerLoss' && fault.kind !== 'shutdown' && fault.kind !== 'pause') return undefined;
  return fault.node.startsWith(NEXT_LEADER_ROLE) ? fault.node.slice(NEXT_LEADER_ROLE.length) : undefined;
}

/** Resolves the role targets of a run's faults, remembering whom each opening fault hit. */
export class FaultTargets {
  private readonly opened = new Map<string, string[]>();

  constructor(private readonly view: TargetView) {}

  /**
   * A `next-leader:` fault (see nextLeaderPartition) found its broker: the fault as it applies, remembered for the
   * fault that closes it.
   */
  fired(fault: Extract<Fault, { node: string }>, node: string): Fault {
    this.remember(`${closerOf(fault.kind as 'crash' | 'powerLoss' | 'shutdown' | 'pause')}:${fault.node}`, node);
    return { ...fault, node };
  }

  /** The fault with every role replaced by a node id, or undefined when a role has no node now (no leader). */
  resolve(fault: Fault): Fault | undefined {
    switch (fault.kind) {
      case 'crash':
      case 'powerLoss':
      case 'shutdown':
      case 'pause': {
        const node = this.role(fault.node);
        if (node !== undefined && this.isRole(fault.node)) this.remember(`${closerOf(fault.kind)}:${fault.node}`, node);
        return node === undefined ? undefined : { ...fault, node };
      }
      case 'restart':
      case 'resume': {
        if (!this.isRole(fault.node)) return fault;
        const node = this.opened.get(`${fault.kind}:${fault.node}`)?.shift();
        return node === undefined ? undefined : { ...fault, node };
      }
      case 'partition':
        return this.resolvePartition(fault);
      case 'link': {
        const key = `link:${fault.from}->${fault.to}`;
        if (fault.reset === true && (this.isRole(fault.from) || this.isRole(fault.to))) {
          const pair = this.opened.get(key)?.shift();
          if (pair === undefined) return undefined;
          const [from, to] = pair.split('\u0000') as [string, string];
          return { ...fault, from, to };
        }
        const from = this.role(fault.from);
        const to = this.role(fault.to);
        if (from === undefined || to === undefined || from === to) return undefined;
        if (this.isRole(fault.from) || this.isRole(fault.to)) this.remember(key, `${from}\u0000${to}`);
        return { ...fault, from, to };
      }
      case 'heal':
        return fault;
    }
  }

  private resolvePartition(fault: Extract<Fault, { kind: 'partition' }>): Fault | undefined {
    if ('isolate' in fault) {
      const node = this.role(fault.isolate);
      return node === undefined ? undefined : { ...fault, isolate: node };
    }
    // A role may resolve to a node named elsewhere in the same spec: the first mention keeps it.
    const seen = new Set<string>();
    const side = (names: readonly string[]) =>
      names.flatMap((name) =>
        this.roleNodes(name).filter((node) => {
          if (seen.has(node)) return false;
          seen.add(node);
          return true;
        }),
      );
    if ('groups' in fault) {
      const groups = fault.groups.map(side).filter((group) => group.length > 0);
      return groups.length < 2 ? undefined : { ...fault, groups };
    }
    if ('oneWay' in fault) {
      const from = side(fault.oneWay.from);
      const to = side(fault.oneWay.to);
      return from.length === 0 || to.length === 0 ? undefined : { ...fault, oneWay: { from, to } };
    }
    const ring = side(fault.majoritiesRing);
    return ring.length < 3 ? undefined : { ...fault, majoritiesRing: ring };
  }

  // Every node a name stands for in a partition spec: `followers:` is all of them, other roles one or none.
  private roleNodes(target: string): string[] {
    if (!target.startsWith('followers:')) {
      const node = this.role(target);
      return node === undefined ? [] : [node];
    }
    const partition = this.view.partition(target.slice('followers:'.length));
    if (partition === undefined) return [];
    return partition.replicas.filter((id) => id !== partition.leader).map(brokerNodeId);
  }

  // `controller` is a role in ZooKeeper mode (the broker elected), a node in KRaft mode.
  private isRole(target: string): boolean {
    return isRoleTarget(target) || (target === 'controller' && this.view.controller !== undefined);
  }

  private role(target: string): string | undefined {
    if (target === 'controller' && this.view.controller !== undefined) return this.view.controller();
    const separator = target.indexOf(':');
    const role = target.slice(0, separator);
    const key = separator < 0 ? undefined : target.slice(separator + 1);
    if (role === 'coordinator' && key !== undefined) return this.coordinator(key);
    // An event, not a node: the runner applies the faults that name it (nextLeaderPartition), nothing else may.
    if (`${role}:` === NEXT_LEADER_ROLE) return undefined;
    if (key === undefined || (role !== 'leader' && role !== 'follower' && role !== 'followers')) return target;
    const partition = this.view.partition(key);
    if (partition === undefined) return undefined;
    if (role === 'leader') return partition.leader < 0 ? undefined : brokerNodeId(partition.leader);
    const followers = partition.replicas.filter((id) => id !== partition.leader).map(brokerNodeId);
    return followers.find((node) => this.view.status(node) === 'up') ?? followers[0];
  }

  // The group's coordinator: the leader of its `__consumer_offsets` partition.
  private coordinator(groupId: string): string | undefined {
    const count = this.view.offsetsPartitions;
    if (count === undefined) return undefined;
    return this.role(`leader:${CONSUMER_OFFSETS_TOPIC}-${coordinatorPartition(groupId, count)}`);
  }

  private remember(key: string, node: string): void {
    const nodes = this.opened.get(key);
    if (nodes === undefined) this.opened.set(key, [node]);
    else nodes.push(node);
  }
}

function closerOf(kind: 'crash' | 'powerLoss' | 'shutdown' | 'pause'): 'restart' | 'resume' {
  return kind === 'pause' ? 'resume' : 'restart';
}
