// The partition assignors a group leader runs: pure functions of the members' subscriptions and the metadata.
export { assignPartitions, assignmentStrategies } from './assignPartitions.ts';
export type { AssignmentStrategy } from './assignPartitions.ts';
export type { Assignment, AssignmentInput, AssignorMember } from './AssignmentInput.ts';
export type { TopicPartition } from './TopicPartition.ts';
