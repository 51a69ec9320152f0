import { describe, expect, it } from 'vitest';
import { brokerConfigDefaults } from '../../../actors/broker/brokerConfig.ts';
import { bootBrokerState, type BrokerEffect, type BrokerState } from '../../../actors/broker/BrokerState.ts';
import { initialControllerFencing, onLeaderAndIsr, type ControllerFencing } from '../../../actors/broker/leaderAndIsr.ts';
import type { LeaderAndIsrPartitionState, LeaderAndIsrRequest } from '../../../src/protocol/controlRequests.ts';
import { sent } from './brokerFixtures.ts';

// A ZooKeeper-mode broker's LeaderAndIsr handling (KafkaApis#handleLeaderAndIsrRequest,
// ReplicaManager#becomeLeaderOrFollower): broker 2, registered with broker epoch 40.
const BROKER_EPOCH = 40;

function broker(): BrokerState {
  return { ...bootBrokerState(2, 'i', brokerConfigDefaults, undefined), brokerEpoch: BROKER_EPOCH, isFenced: false };
}

function partitionState(change: Partial<LeaderAndIsrPartitionState> = {}): LeaderAndIsrPartitionState {
  return { topic: 't', partition: 0, controllerEpoch: 1, leader: 2, leaderEpoch: 0, isr: [1, 2, 3], partitionEpoch: 0, replicas: [1, 2, 3], ...change };
}

function request(change: Partial<LeaderAndIsrRequest> = {}, partitions: LeaderAndIsrPartitionState[] = [partitionState()]): LeaderAndIsrRequest {
  return { type: 'leaderAndIsr.request', correlationId: 7, controllerId: 1, controllerEpoch: 1, brokerEpoch: BROKER_EPOCH, partitionStates: partitions, ...change };
}

function handle(state: BrokerState, fencing: ControllerFencing, req: LeaderAndIsrRequest) {
  const out: BrokerEffect[] = [];
  return { ...onLeaderAndIsr(state, fencing, req, 1_000, out), out };
}

describe('LeaderAndIsr on a ZooKeeper-mode broker', () => {
  it('makes the broker leader of a partition the controller names it leader of, and remembers the controller epoch', () => {
    const result = handle(broker(), initialControllerFencing, request());
    expect(result.state.partitions['t-0']).toMatchObject({ leader: 2, leaderEpoch: 0, isr: [1, 2, 3], partitionEpoch: 0 });
    expect(result.fencing).toEqual({ controllerEpoch: 1 });
    expect(result.response).toEqual({ type: 'leaderAndIsr.response', correlationId: 7, partitionErrors: [{ topic: 't', partition: 0 }] });
  });

  it('makes it a follower that fetches from the leader the controller names', () => {
    const result = handle(broker(), initialControllerFencing, request({}, [partitionState({ leader: 3 })]));
    expect(result.state.partitions['t-0']).toMatchObject({ leader: 3, leaderEpoch: 0 });
    const fetches = result.out.filter((e) => e.kind === 'send' && e.to === 'broker-3' && e.message.type === 'fetch.request');
    expect(fetches).toHaveLength(1);
    expect(sent(result.out, 'fetch.request')[0]?.partitions.map((p) => p.topic)).toEqual(['t']);
  });

  it('refuses a zombie controller: a request with an older controller epoch changes nothing (STALE_CONTROLLER_EPOCH)', () => {
    const current = handle(broker(), initialControllerFencing, request({ controllerEpoch: 2 }, [partitionState({ leader: 2, leaderEpoch: 1, partitionEpoch: 1, controllerEpoch: 2 })]));
    // The old controller, still acting after losing its session, moves leadership to broker 3 in a newer leader epoch.
    const zombie = handle(current.state, current.fencing, request({ controllerEpoch: 1, correlationId: 8 }, [partitionState({ leader: 3, leaderEpoch: 2, partitionEpoch: 2 })]));
    expect(zombie.state).toBe(current.state);
    expect(zombie.fencing).toEqual({ controllerEpoch: 2 });
    expect(zombie.response).toEqual({ type: 'leaderAndIsr.response', correlationId: 8, errorCode: 'STALE_CONTROLLER_EPOCH', partitionErrors: [{ topic: 't', partition: 0, errorCode: 'STALE_CONTROLLER_EPOCH' }] });
    expect(zombie.out).toEqual([]);
    // The same change from the current controller is taken.
    const taken = handle(current.state, current.fencing, request({ controllerEpoch: 2 }, [partitionState({ leader: 3, leaderEpoch: 2, partitionEpoch: 2 })]));
    expect(taken.state.partitions['t-0']).toMatchObject({ leader: 3, leaderEpoch: 2 });
  });

  it('refuses a request meant for an earlier registration of this broker (STALE_BROKER_EPOCH); -1 is unknown, not stale', () => {
    const stale = handle(broker(), initialControllerFencing, request({ brokerEpoch: BROKER_EPOCH - 1 }));
    expect(stale.response.errorCode).toBe('STALE_BROKER_EPOCH');
    expect(stale.state.partitions['t-0']).toBeUndefined();
    expect(stale.fencing).toBe(initialControllerFencing);
    expect(handle(broker(), initialControllerFencing, request({ brokerEpoch: -1 })).state.partitions['t-0']).toBeDefined();
    // A newer epoch than the broker knows is possible (the controller heard of the registration first) and taken.
    expect(handle(broker(), initialControllerFencing, request({ brokerEpoch: BROKER_EPOCH + 5 })).response.errorCode).toBeUndefined();
  });

  it('leaves alone a partition in the same or an older leader epoch, and one it does not replicate', () => {
    const led = handle(broker(), initialControllerFencing, request({}, [partitionState({ leaderEpoch: 3, partitionEpoch: 3 })]));
    const again = handle(led.state, led.fencing, request({ correlationId: 9 }, [
      partitionState({ leaderEpoch: 3, partitionEpoch: 4, isr: [2] }),
      partitionState({ leaderEpoch: 2, partitionEpoch: 5, leader: 1 }),
      partitionState({ partition: 1, replicas: [1, 3], leader: 1, isr: [1, 3] }),
    ]));
    expect(again.state.partitions['t-0']).toMatchObject({ leader: 2, leaderEpoch: 3, isr: [1, 2, 3] });
    expect(again.state.partitions['t-1']).toBeUndefined();
    expect(again.response.partitionErrors).toEqual([
      { topic: 't', partition: 0, errorCode: 'STALE_CONTROLLER_EPOCH' },
      { topic: 't', partition: 0, errorCode: 'STALE_CONTROLLER_EPOCH' },
      { topic: 't', partition: 1, errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' },
    ]);
  });
});
