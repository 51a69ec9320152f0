import { describe, expect, it } from 'vitest';
import * as protocol from '../../src/protocol/index.ts';

describe('protocol public surface', () => {
  it('exports exactly the documented functions and the error table', () => {
    expect(Object.keys(protocol).sort()).toEqual([
      'coordinatorPartition',
      'errorByCode',
      'isRetriable',
      'javaStringHashCode',
      'kafkaErrors',
      'murmur2',
      'partitionForKey',
      'toPositive',
    ]);
  });

  it('re-exports the same functions the modules define', () => {
    expect(protocol.partitionForKey('21', 6)).toBe(0);
    expect(protocol.coordinatorPartition('testgroup', 50)).toBe(27);
    expect(protocol.errorByCode(19)?.type).toBe('NOT_ENOUGH_REPLICAS');
  });
});
