// What group consumers and group coordinators report about consumer groups, beside the Jepsen history: the
// rebalance log (which member of which generation held which partitions, and when), each record a member finished
// processing, and each commit a coordinator accepted. Machines emit these as notes (`{ type: 'note', data }`);
// the scenario runner collects them, with the node and the virtual time, into a GroupLog for the group checkers.
// Partitions are named by their topic-partition key (`orders-3`), as in the history.

/**
 * A consumer's ownership changed: from now on it owns exactly `partitions`, as member `memberId` of `generation`
 * (an empty list: it owns nothing). Sent on every assignment, revocation, loss and close.
 */
export interface OwnershipNote {
  group: 'owned';
  groupId: string;
  memberId: string;
  generation: number;
  partitions: string[];
}

/** A consumer's application finished processing one record, as member `memberId` of `generation`. */
export interface ProcessedNote {
  group: 'processed';
  groupId: string;
  memberId: string;
  generation: number;
  topic: string;
  partition: number;
  offset: number;
  value: string;
}

/**
 * A coordinator stored an OffsetCommit: who sent it, in which generation, and the group's generation when it was
 * stored. The two differ only when generation fencing is off (a zombie's commit, bug C1) or for a commit from
 * outside group management (generation -1).
 */
export interface CommitAcceptedNote {
  group: 'commitAccepted';
  groupId: string;
  memberId: string;
  generation: number;
  groupGeneration: number;
  offsets: Record<string, number>;
}

/** A coordinator completed a rebalance: the generation's members and each one's assignment. */
export interface GenerationNote {
  group: 'generation';
  groupId: string;
  generation: number;
  protocolName: string | null;
  leaderId: string;
  assignments: Record<string, string[]>;
}

/**
 * A coordinator gave a static member's instance id a new member id (KIP-345): the process that held the old one
 * is fenced (FENCED_INSTANCE_ID on its next request) and is no longer a member, of this generation or any.
 */
export interface ReplacedNote {
  group: 'replaced';
  groupId: string;
  generation: number;
  groupInstanceId: string;
  oldMemberId: string;
  newMemberId: string;
}

/**
 * A consumer stopped on an error it cannot recover from (KafkaConsumer throws from poll(): FENCED_INSTANCE_ID,
 * INCONSISTENT_GROUP_PROTOCOL, ...). It owns nothing from then on and is not restarted.
 */
export interface FailedNote {
  group: 'failed';
  groupId: string;
  memberId: string;
  errorCode: string;
}

/**
 * A consumer's position in a partition was reset by `auto.offset.reset` through ListOffsets (no committed offset
 * under `latest`, or OFFSET_OUT_OF_RANGE): it starts at `offset`, and the records from `skippedFrom` (where it had
 * processed up to, or 0 with nothing processed) below `offset` are skipped as Kafka skips them
 * (`SubscriptionState#requestOffsetReset`): no member has to process them. Sent only when it skips something.
 */
export interface ResetNote {
  group: 'reset';
  groupId: string;
  memberId: string;
  generation: number;
  topic: string;
  partition: number;
  skippedFrom: number;
  offset: number;
}

/** A group note, as a machine emits it in `{ type: 'note', data }`. */
export type GroupNote = OwnershipNote | ProcessedNote | CommitAcceptedNote | GenerationNote | ReplacedNote | FailedNote | ResetNote;

/** True when a note's data is a group note. */
export function isGroupNote(data: unknown): data is GroupNote {
  if (data === null || typeof data !== 'object') return false;
  const kind = (data as { group?: unknown }).group;
  return kind === 'owned' || kind === 'processed' || kind === 'commitAccepted' || kind === 'generation' || kind === 'replaced' || kind === 'failed' || kind === 'reset';
}

/** A group note with where and when it was emitted. */
export type GroupLogEntry = GroupNote & {
  /** The node that emitted it (the consumer's client id, or the coordinator's broker node). */
  node: string;
  timeMs: number;
};

/**
 * A consumer node went away at `timeMs` (a crash, or the end of its run): it owns nothing from then on. Its
 * in-flight processing is gone too.
 */
export interface NodeDownEntry {
  group: 'down';
  node: string;
  timeMs: number;
}

/** The rebalance log of a run: group notes and consumer crashes, in the order they happened. */
export type GroupLog = ReadonlyArray<GroupLogEntry | NodeDownEntry>;
