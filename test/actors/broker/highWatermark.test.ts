import { describe, expect, it } from 'vitest';
import { followerHighWatermark, nextHighWatermark } from '../../../actors/broker/highWatermark.ts';

// Broker 1 leads; brokers 2 and 3 follow.
const base = { current: 0, leaderId: 1, leaderLeo: 10, isr: [1, 2, 3], replicaLeos: { 2: 7, 3: 9 }, minInsyncReplicas: 2 };

describe('highWatermark', () => {
  describe('nextHighWatermark', () => {
    it('is the smallest log end offset over the leader and the ISR', () => {
      expect(nextHighWatermark(base)).toBe(7);
      expect(nextHighWatermark({ ...base, replicaLeos: { 2: 12, 3: 9 } })).toBe(9);
      expect(nextHighWatermark({ ...base, replicaLeos: { 2: 12, 3: 11 } })).toBe(10);
    });

    it('ignores followers outside the ISR', () => {
      expect(nextHighWatermark({ ...base, isr: [1, 3] })).toBe(9);
    });

    it('waits for replicas in the maximal ISR: a pending addition counts before the controller commits it', () => {
      expect(nextHighWatermark({ ...base, isr: [1, 3], maximalIsr: [1, 2, 3] })).toBe(7);
    });

    it('also waits for followers about to join the ISR (caught up and eligible, shouldWaitForReplicaToJoinIsr)', () => {
      expect(nextHighWatermark({ ...base, isr: [1, 3], joiningReplicas: [2] })).toBe(7);
      expect(nextHighWatermark({ ...base, isr: [1, 3], joiningReplicas: [] })).toBe(9);
    });

    it('never goes backwards', () => {
      expect(nextHighWatermark({ ...base, current: 8 })).toBe(8);
    });

    it('keeps the high watermark when the ISR shrinks below min.insync.replicas', () => {
      // KIP-966 (Kafka 3.7): an ISR of one under min ISR 2 would otherwise expose acks=1 writes at once.
      expect(nextHighWatermark({ ...base, current: 5, isr: [1], replicaLeos: {} })).toBe(5);
      expect(nextHighWatermark({ ...base, current: 5, isr: [1], minInsyncReplicas: 1 })).toBe(10);
    });

    it('caps min.insync.replicas at the replication factor, as effectiveMinIsr does', () => {
      const singleReplica = { ...base, isr: [1], replicaLeos: {}, minInsyncReplicas: 2 };
      expect(nextHighWatermark(singleReplica)).toBe(0);
      expect(nextHighWatermark({ ...singleReplica, replicationFactor: 1 })).toBe(10);
    });

    it('holds the high watermark while a follower in the ISR has not reported its log end offset', () => {
      expect(nextHighWatermark({ ...base, current: 4, replicaLeos: { 3: 9 } })).toBe(4);
    });

    it('refuses a current high watermark beyond the leader log end offset', () => {
      expect(() => nextHighWatermark({ ...base, current: 11 })).toThrow(/must be within \[0, leader LEO 10\]/);
    });
  });

  describe('followerHighWatermark', () => {
    it("is the leader's high watermark capped at the follower's log end offset", () => {
      expect(followerHighWatermark(8, 10)).toBe(8);
      expect(followerHighWatermark(8, 5)).toBe(5);
    });
  });
});
