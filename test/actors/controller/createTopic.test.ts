import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenceBroker } from '../../../actors/controller/brokerRegistration.ts';
import { controllerDefaults } from '../../../actors/controller/controllerDefaults.ts';
import type { ReplicaPlacer } from '../../../actors/controller/controllerDefaults.ts';
import { createTopic } from '../../../actors/controller/createTopic.ts';
import type { Draw } from '../../../actors/controller/Draw.ts';
import { partitionOf, topicOf } from '../../../actors/controller/metadataImage.ts';
import type { MetadataImage } from '../../../actors/controller/metadataImage.ts';
import { propertyRuns } from '../../../properties/propertyRuns.ts';
import { clean, scriptedDraw, seededDraw, unfencedCluster } from './controllerFixtures.ts';

const create = (image: MetadataImage, name: string, numPartitions: number, replicationFactor: number, draw: Draw = seededDraw(1), replicaPlacer: ReplicaPlacer = 'striped') =>
  createTopic(image, { name, numPartitions, replicationFactor }, { ...controllerDefaults, replicaPlacer, draw });

describe('createTopic', () => {
  const cluster = unfencedCluster([1, 2, 3]);

  it('writes a Topic record and one Partition record per partition, epochs 0, leader = first replica', () => {
    const result = create(cluster, 't', 2, 3, scriptedDraw([0]));
    expect(result.response).toEqual({ errorCode: 'NONE', assignments: [[1, 2, 3], [2, 3, 1]] });
    expect(result.records).toEqual([
      { type: 'Topic', name: 't' },
      { type: 'Partition', topic: 't', partition: 0, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
      { type: 'Partition', topic: 't', partition: 1, replicas: [2, 3, 1], isr: [2, 3, 1], leader: 2, leaderEpoch: 0, partitionEpoch: 0 },
    ]);
    expect(topicOf(result.image, 't')?.partitions).toHaveLength(2);
  });

  it('keeps fenced replicas out of the initial ISR', () => {
    const fenced = fenceBroker(cluster, 3, clean).image;
    const result = create(fenced, 't', 1, 3, scriptedDraw([0, 0]));
    expect(partitionOf(result.image, 't', 0)).toEqual({ replicas: [1, 2, 3], isr: [1, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 0 });
  });

  it('uses num.partitions and default.replication.factor for -1', () => {
    const result = create(cluster, 't', -1, -1);
    expect(result.response).toMatchObject({ errorCode: 'NONE' });
    expect(topicOf(result.image, 't')?.partitions.map((p) => p.replicas.length)).toEqual([1]);
  });

  it('answers TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR and INVALID_PARTITIONS as Kafka does', () => {
    const existing = create(cluster, 't', 1, 1).image;
    expect(create(existing, 't', 1, 1).response.errorCode).toBe('TOPIC_ALREADY_EXISTS');
    expect(create(cluster, 'u', 1, 0).response.errorCode).toBe('INVALID_REPLICATION_FACTOR');
    expect(create(cluster, 'u', 1, -2).response.errorCode).toBe('INVALID_REPLICATION_FACTOR');
    expect(create(cluster, 'u', 1, 4).response.errorCode).toBe('INVALID_REPLICATION_FACTOR');
    expect(create(cluster, 'u', 1, 4, seededDraw(1), 'rackUnaware').response.errorCode).toBe('INVALID_REPLICATION_FACTOR');
    expect(create(cluster, 'u', 0, 1).response.errorCode).toBe('INVALID_PARTITIONS');
    expect(create(cluster, 'u', -3, 1).records).toEqual([]);
  });

  it('throws on misuse: a non-integer count or an empty name', () => {
    expect(() => create(cluster, 'u', 1.5, 1)).toThrow(/request.numPartitions must be an integer/);
    expect(() => create(cluster, '', 1, 1)).toThrow(/request.name/);
  });

  it('the spread check rejects a placement that stacks leaders (the weakening the property must catch)', () => {
    expect(leadersSpread([1, 2, 3], [[1, 2], [1, 3], [2, 3]])).toBe(false);
    expect(leadersSpread([1, 2, 3], [[1, 2], [2, 3], [3, 1]])).toBe(true);
  });

  for (const replicaPlacer of ['striped', 'rackUnaware'] as const) {
    it(`spreads leaders: leader counts per broker differ by at most 1 (${replicaPlacer})`, () => {
      const scenario = fc.record({
        brokers: fc.integer({ min: 1, max: 6 }),
        partitions: fc.integer({ min: 1, max: 30 }),
        rf: fc.integer({ min: 1, max: 6 }),
        seed: fc.integer(),
      });
      fc.assert(
        fc.property(scenario, ({ brokers, partitions, rf, seed }) => {
          const ids = Array.from({ length: brokers }, (_, i) => i + 1);
          const result = create(unfencedCluster(ids), 't', partitions, Math.min(rf, brokers), seededDraw(seed), replicaPlacer);
          if (result.response.errorCode !== 'NONE') return false;
          const { assignments } = result.response;
          const distinct = assignments.every((replicas) => new Set(replicas).size === replicas.length);
          return distinct && leadersSpread(ids, assignments);
        }),
        { numRuns: propertyRuns(200) },
      );
    });
  }
});

// Every broker leads as many partitions as any other, give or take one.
function leadersSpread(brokerIds: readonly number[], assignments: readonly (readonly number[])[]): boolean {
  const leaders = brokerIds.map((id) => assignments.filter((replicas) => replicas[0] === id).length);
  return Math.max(...leaders) - Math.min(...leaders) <= 1;
}
