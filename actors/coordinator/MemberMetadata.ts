import type { ConsumerProtocolSubscription, MemberProtocol } from '../../src/protocol/groupMessages.ts';
import type { TopicPartition } from '../assignors/TopicPartition.ts';
import { invariant } from './invariant.ts';

// One member of a classic group as the coordinator keeps it (`MemberMetadata.scala`). Kafka keeps a protocol's
// metadata as opaque bytes; the simulator only runs the consumer protocol, so it keeps the decoded
// `ConsumerProtocolSubscription` and compares it field by field where Kafka compares bytes. The subscription and
// the member's protocols are wire types (src/protocol/groupMessages.ts), re-exported here.

export type { ConsumerProtocolSubscription, MemberProtocol } from '../../src/protocol/groupMessages.ts';

/** A member of the group. Flags and times are the coordinator's soft state; a failover restarts them. */
export interface MemberMetadata {
  readonly memberId: string;
  /** `group.instance.id` of a static member (KIP-345); absent for a dynamic member. */
  readonly groupInstanceId?: string;
  readonly clientId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly supportedProtocols: readonly MemberProtocol[];
  /** The partitions the leader assigned to this member in the current generation (empty until SyncGroup). */
  readonly assignment: readonly TopicPartition[];
  /** When the session was last renewed: a heartbeat, a completed join or sync, a commit. */
  readonly lastHeartbeatMs: number;
  /** Added in the current rebalance and not yet through a completed join: its JoinGroup may wait longer. */
  readonly isNew: boolean;
  /** A JoinGroup from this member is parked until the join completes (`awaitingJoinCallback != null`). */
  readonly awaitingJoin: boolean;
  /** A SyncGroup from this member is parked until the leader's assignment is stored (`awaitingSyncCallback`). */
  readonly awaitingSync: boolean;
}

/** Whether the member joins with `groupInstanceId`. */
export function isStaticMember(member: MemberMetadata): boolean {
  return member.groupInstanceId !== undefined;
}

/**
 * Whether a JoinGroup's protocols equal the member's current ones, in the same order (`MemberMetadata#matches`).
 * A follower rejoining with matching protocols in Stable gets the current generation back without a rebalance.
 */
export function matchesProtocols(member: MemberMetadata, protocols: readonly MemberProtocol[]): boolean {
  const current = member.supportedProtocols;
  return (
    protocols.length === current.length &&
    protocols.every((protocol, i) => {
      const other = current[i] as MemberProtocol;
      return protocol.name === other.name && sameSubscription(protocol.metadata, other.metadata);
    })
  );
}

/** The member's metadata for `protocolName` (`MemberMetadata#metadata`); the member must support it. */
export function metadataFor(member: MemberMetadata, protocolName: string): ConsumerProtocolSubscription {
  const protocol = member.supportedProtocols.find((p) => p.name === protocolName);
  invariant(protocol !== undefined, `member ${member.memberId} does not support protocol ${protocolName}`);
  return protocol.metadata;
}

/** The member's first choice among `candidates` (`MemberMetadata#vote`): its most preferred protocol that all support. */
export function vote(member: MemberMetadata, candidates: ReadonlySet<string>): string {
  const choice = member.supportedProtocols.find((p) => candidates.has(p.name));
  invariant(choice !== undefined, `member ${member.memberId} supports none of the candidate protocols`);
  return choice.name;
}

function sameSubscription(a: ConsumerProtocolSubscription, b: ConsumerProtocolSubscription): boolean {
  return (
    sameList(a.topics, b.topics, (x, y) => x === y) &&
    sameList(a.ownedPartitions ?? [], b.ownedPartitions ?? [], (x, y) => x[0] === y[0] && x[1] === y[1]) &&
    (a.generation ?? -1) === (b.generation ?? -1)
  );
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i] as T));
}
