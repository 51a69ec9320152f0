import { describe, expect, it } from 'vitest';
import { applyMetadataRecords } from '../../../actors/broker/applyMetadata.ts';
import { brokerConfigDefaults } from '../../../actors/broker/brokerConfig.ts';
import { bootBrokerState, type BrokerEffect, type BrokerState } from '../../../actors/broker/BrokerState.ts';
import { maximalIsr } from '../../../actors/broker/highWatermark.ts';
import { onAlterPartitionResponse, onAlterPartitionTimeout, onControllerConnectionReset, proposeIsr } from '../../../actors/broker/isrChanges.ts';
import type { MetadataRecord } from '../../../src/protocol/metadataRecords.ts';

// The leader's AlterPartitionManager: one proposal in flight per partition, never given up. It is sent again when
// controller.socket.timeout.ms passes without an answer, 50 ms after a top-level error, and after the controller's
// connection breaks (reconnect.backoff.ms, doubling); until then the HW counts the proposed members.
const topic: MetadataRecord[] = [
  { type: 'Topic', name: 't' },
  { type: 'Partition', topic: 't', partition: 0, replicas: [1, 2, 3], isr: [1, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 3 },
];

function leader(): BrokerState {
  const state = bootBrokerState(1, 'i', brokerConfigDefaults, undefined);
  return applyMetadataRecords({ ...state, brokerEpoch: 7 }, 0, topic, 0, []);
}

const alters = (out: BrokerEffect[]) => out.filter((e) => e.kind === 'send' && e.message.type === 'partition.alter');
const timers = (out: BrokerEffect[]) => out.filter((e): e is Extract<BrokerEffect, { kind: 'timer' }> => e.kind === 'timer' && e.id === 'alter:t-0');

describe('isrChanges: an ISR proposal is never given up', () => {
  it('sends the proposal, keeps it pending, and counts it in the maximal ISR', () => {
    const out: BrokerEffect[] = [];
    const proposed = proposeIsr(leader(), 't-0', [1, 2, 3], out);
    expect(alters(out)).toHaveLength(1);
    expect(timers(out).map((t) => t.delayMs)).toEqual([brokerConfigDefaults.alterPartitionTimeoutMs]);
    expect(proposed.partitions['t-0']?.pendingIsr).toEqual([1, 2, 3]);
    expect(maximalIsr(proposed.partitions['t-0']!)).toEqual([1, 2, 3]);
  });

  it('with no answer in time, sends the same proposal again and keeps it pending (the HW still waits for it)', () => {
    const proposed = proposeIsr(leader(), 't-0', [1, 2, 3], []);
    const out: BrokerEffect[] = [];
    const later = onAlterPartitionTimeout(proposed, 't-0', 3, out);
    expect(later.partitions['t-0']?.pendingIsr).toEqual([1, 2, 3]);
    expect(alters(out)).toHaveLength(1);
    expect(alters(out)[0]).toMatchObject({ message: { partitionEpoch: 3, newIsr: [{ brokerId: 1 }, { brokerId: 2 }, { brokerId: 3 }] } });
    expect(timers(out)).toHaveLength(1);
  });

  it('retries 50 ms after a top-level error, and settles on any other answer', () => {
    const proposed = proposeIsr(leader(), 't-0', [1, 2, 3], []);
    const out: BrokerEffect[] = [];
    const stale = onAlterPartitionResponse(proposed, { type: 'partition.alter.response', topic: 't', partition: 0, errorCode: 'STALE_BROKER_EPOCH' }, out);
    expect(stale.partitions['t-0']?.pendingIsr).toEqual([1, 2, 3]);
    expect(timers(out).map((t) => t.delayMs)).toEqual([50]);
    const settled = onAlterPartitionResponse(stale, { type: 'partition.alter.response', topic: 't', partition: 0, errorCode: 'INVALID_UPDATE_VERSION' }, []);
    expect(settled.partitions['t-0']?.pendingIsr).toBeNull();
    expect(settled.partitions['t-0']?.isr).toEqual([1, 2]);
  });

  it('after the controller connection breaks, sends again after reconnect.backoff.ms, doubling with each break', () => {
    const proposed = proposeIsr(leader(), 't-0', [1, 2, 3], []);
    const first: BrokerEffect[] = [];
    const once = onControllerConnectionReset(proposed, 1_000, first);
    expect(timers(first).map((t) => t.delayMs)).toEqual([50]);
    const second: BrokerEffect[] = [];
    onControllerConnectionReset(once, 1_100, second);
    expect(timers(second).map((t) => t.delayMs)).toEqual([100]);
  });
});
