import { describe, expect, it } from 'vitest';
import { arePartitionLeadersImbalanced, balancePartitionLeaders, isImbalanced } from '../../../actors/controller/balancePartitionLeaders.ts';
import { fenceBroker } from '../../../actors/controller/brokerRegistration.ts';
import { clean, registration, unfencedCluster, withTopic } from './controllerFixtures.ts';

describe('balancePartitionLeaders (ReplicationControlManager#maybeBalancePartitionLeaders)', () => {
  it('counts a partition as imbalanced only while it has a leader other than its first replica', () => {
    expect(isImbalanced(registration([1, 2, 3], [1, 2, 3], 1))).toBe(false);
    expect(isImbalanced(registration([1, 2, 3], [1, 2, 3], 2))).toBe(true);
    expect(isImbalanced(registration([1, 2, 3], [1], -1))).toBe(false);
  });

  it('elects the preferred replica where it is in the ISR and active, and leaves the other partitions alone', () => {
    const image = withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3], [1, 2, 3], 2), registration([2, 3, 1], [3, 1], 3), registration([3, 1, 2])]);
    expect(arePartitionLeadersImbalanced(image)).toBe(true);
    const result = balancePartitionLeaders(image, clean);
    expect(result.records).toEqual([{ type: 'PartitionChange', topic: 't', partition: 0, leader: 1 }]);
    expect(result.response).toBe(false);
    // t-1's preferred replica (2) is not in the ISR: it stays imbalanced until it rejoins.
    expect(arePartitionLeadersImbalanced(result.image)).toBe(true);
  });

  it('does not elect a fenced preferred replica', () => {
    const image = fenceBroker(withTopic(unfencedCluster([1, 2, 3]), 't', [registration([1, 2, 3], [1, 2, 3], 2)]), 1, clean).image;
    expect(balancePartitionLeaders(image, clean).records).toEqual([]);
  });
});
