import { ArgumentError } from '../../src/kernel/argumentError.ts';
import type { Assignment, AssignmentInput } from './AssignmentInput.ts';
import { cooperativeStickyAssign } from './cooperativeStickyAssign.ts';
import { rangeAssign } from './rangeAssign.ts';
import { roundRobinAssign } from './roundRobinAssign.ts';
import { stickyAssign } from './stickyAssign.ts';

/** The assignors by their `partition.assignment.strategy` protocol names, as the Java consumer registers them. */
const assignors = {
  range: rangeAssign,
  roundrobin: roundRobinAssign,
  sticky: stickyAssign,
  'cooperative-sticky': cooperativeStickyAssign,
} satisfies Record<string, (input: AssignmentInput) => Assignment>;

/** The name of a partition assignment strategy, as it travels in JoinGroup's protocol list. */
export type AssignmentStrategy = keyof typeof assignors;

/** Every strategy `assignPartitions` knows, in Kafka's documentation order. */
export const assignmentStrategies = Object.keys(assignors) as readonly AssignmentStrategy[];

/**
 * Runs the group leader's assignor: validates the input, then returns every member's partitions, sorted by topic
 * then partition. Pure: the same input always gives the same assignment.
 */
export function assignPartitions(strategy: AssignmentStrategy, input: AssignmentInput): Assignment {
  const where = 'assignPartitions';
  if (!Object.hasOwn(assignors, strategy)) {
    throw new ArgumentError(where, 'strategy', strategy, `one of ${assignmentStrategies.join(', ')}`);
  }
  for (const [topic, count] of Object.entries(input.partitionsPerTopic)) {
    if (!Number.isInteger(count) || count < 0) {
      throw new ArgumentError(where, `partitionsPerTopic[${JSON.stringify(topic)}]`, count, 'a non-negative integer');
    }
  }
  const firstIndexById = new Map<string, number>();
  input.members.forEach(({ memberId }, index) => {
    const first = firstIndexById.get(memberId);
    if (first !== undefined) {
      throw new ArgumentError(where, `members[${index}].memberId`, memberId, `unique (members[${first}] has it too)`);
    }
    firstIndexById.set(memberId, index);
  });
  return assignors[strategy](input);
}
