import { describe, expect, it } from 'vitest';
import { partitionErrorHandling } from '../../../actors/reader/index.ts';

describe('partitionErrorHandling', () => {
  it('refreshes metadata when the broker is not the leader or an epoch is stale', () => {
    for (const error of [
      'NOT_LEADER_OR_FOLLOWER',
      'FENCED_LEADER_EPOCH',
      'UNKNOWN_LEADER_EPOCH',
      'UNKNOWN_TOPIC_OR_PARTITION',
      'LEADER_NOT_AVAILABLE',
    ] as const) {
      expect(partitionErrorHandling(error)).toBe('refreshMetadata');
    }
  });

  it('resets to the earliest offset on OFFSET_OUT_OF_RANGE, and only retries other errors', () => {
    expect(partitionErrorHandling('OFFSET_OUT_OF_RANGE')).toBe('resetToEarliest');
    expect(partitionErrorHandling('UNKNOWN_SERVER_ERROR')).toBe('retry');
    expect(partitionErrorHandling('REQUEST_TIMED_OUT')).toBe('retry');
  });
});
