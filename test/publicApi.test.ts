import { describe, expect, it } from 'vitest';
import { assignPartitions, coordinatorPartition, experimentNames, experiments } from '../src/index.ts';

// The pure group helpers the package exports (issue: assignors and coordinator placement usable without a run).
describe('public group helpers', () => {
  it("assignPartitions runs Kafka's range assignor over members in Java's order (consumer-10 before consumer-2)", () => {
    const assignment = assignPartitions('range', {
      members: [
        { memberId: 'consumer-2', topics: ['orders'] },
        { memberId: 'consumer-10', topics: ['orders'] },
      ],
      partitionsPerTopic: { orders: 3 },
    });
    expect(assignment).toEqual({ 'consumer-10': [['orders', 0], ['orders', 1]], 'consumer-2': [['orders', 2]] });
  });

  it('assignPartitions puts static members first, by group.instance.id', () => {
    const assignment = assignPartitions('range', {
      members: [
        { memberId: 'a', topics: ['orders'] },
        { memberId: 'z', groupInstanceId: 'instance-1', topics: ['orders'] },
      ],
      partitionsPerTopic: { orders: 2 },
    });
    expect(assignment).toEqual({ z: [['orders', 0]], a: [['orders', 1]] });
  });

  it('coordinatorPartition is abs(String.hashCode) mod the partition count', () => {
    expect(coordinatorPartition('testgroup', 50)).toBe(27);
  });
});

describe('public experiments', () => {
  it('lists the seven experiments, each with a name, a title and the claim it measures', () => {
    expect(experimentNames).toEqual(['keys', 'acks', 'ordering', 'group-sizing', 'rebalance', 'failover', 'scaling']);
    for (const experiment of experiments) {
      expect(experiment.title.length).toBeGreaterThan(10);
      expect(experiment.claim.length).toBeGreaterThan(40);
    }
  });
});
