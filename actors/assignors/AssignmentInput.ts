import type { TopicPartition } from './TopicPartition.ts';

/** One group member as the leader's assignor sees it: its subscription and what it owned before this rebalance. */
export interface AssignorMember {
  memberId: string;
  /** `group.instance.id` of a static member (KIP-345); absent for a dynamic member. */
  groupInstanceId?: string;
  /** The topics the member subscribes to. */
  topics: string[];
  /** The partitions the member owned in `generation` (ConsumerProtocolSubscription v1+), for the sticky assignors. */
  ownedPartitions?: TopicPartition[];
  /** The generation in which the member owned `ownedPartitions`; absent means Kafka's DEFAULT_GENERATION, -1. */
  generation?: number;
}

/** What an assignor is given: every member's subscription and the partition count of each topic in the metadata. */
export interface AssignmentInput {
  members: AssignorMember[];
  /** Partition count per topic; a subscribed topic missing here (or with 0 partitions) is not in the metadata yet. */
  partitionsPerTopic: Record<string, number>;
}

/** An assignor's answer: every member id, each with its partitions sorted by topic then partition (maybe none). */
export type Assignment = Record<string, TopicPartition[]>;
