import { describe, expect, it } from 'vitest';
import { checkAcksAllComplete, checkProduce } from '../../../actors/broker/produceChecks.ts';
import { kafkaErrors } from '../../../src/protocol/errors.ts';

describe('produceChecks', () => {
  describe('checkProduce', () => {
    const rf3 = { minInsyncReplicas: 2, replicationFactor: 3 };

    it('refuses acks=all before appending when the ISR is below min.insync.replicas (NOT_ENOUGH_REPLICAS)', () => {
      expect(checkProduce({ acks: -1, isr: [1], ...rf3 })).toBe('NOT_ENOUGH_REPLICAS');
      expect(checkProduce({ acks: -1, isr: [1, 2], ...rf3 })).toBeUndefined();
    });

    it('lets acks 0 and 1 through whatever the ISR', () => {
      expect(checkProduce({ acks: 1, isr: [1], ...rf3 })).toBeUndefined();
      expect(checkProduce({ acks: 0, isr: [1], ...rf3 })).toBeUndefined();
    });

    it('caps min.insync.replicas at the replication factor', () => {
      expect(checkProduce({ acks: -1, isr: [1], minInsyncReplicas: 2, replicationFactor: 1 })).toBeUndefined();
    });

    it('answers INVALID_REQUIRED_ACKS for acks outside 0, 1 and -1', () => {
      for (const acks of [2, -2, 0.5, Number.NaN]) expect(checkProduce({ acks, isr: [1, 2, 3], ...rf3 })).toBe('INVALID_REQUIRED_ACKS');
    });
  });

  describe('checkAcksAllComplete', () => {
    const waiting = { lastOffset: 9, minInsyncReplicas: 2 };

    it('waits until the high watermark passes the last offset of the request', () => {
      expect(checkAcksAllComplete({ ...waiting, highWatermark: 9, isrSize: 3 })).toBe('wait');
      expect(checkAcksAllComplete({ ...waiting, highWatermark: 10, isrSize: 3 })).toBe('done');
    });

    it('answers NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below the min ISR after the append', () => {
      expect(checkAcksAllComplete({ ...waiting, highWatermark: 10, isrSize: 1 })).toBe('NOT_ENOUGH_REPLICAS_AFTER_APPEND');
      expect(checkAcksAllComplete({ ...waiting, highWatermark: 10, isrSize: 1, replicationFactor: 1 })).toBe('done');
    });

    it('tells the two errors apart the way clients must: only the first means nothing was written', () => {
      const before = checkProduce({ acks: -1, isr: [1], minInsyncReplicas: 2, replicationFactor: 3 });
      const after = checkAcksAllComplete({ ...waiting, highWatermark: 10, isrSize: 1 });
      expect([before && kafkaErrors[before].code, after === 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' && kafkaErrors[after].code]).toEqual([19, 20]);
    });
  });
});
