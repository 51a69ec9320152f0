import { describe, expect, it } from 'vitest';
import { electLeader } from '../../../actors/controller/electLeader.ts';
import type { Election } from '../../../actors/controller/electLeader.ts';

// Kafka's PartitionChangeBuilderTest#testElectLeader (KRaft) and PartitionLeaderElectionAlgorithmsTest (the ZooKeeper
// controller), with Kafka's inputs and expected outputs.

describe('electLeader (PartitionChangeBuilderTest#testElectLeader)', () => {
  // FOO: replicas [2, 1, 3], ISR [2, 1, 3], leader 1; broker 3 is not an acceptable leader.
  const foo = (election: Election, targetIsr = [2, 1, 3], replicas = [2, 1, 3]) =>
    electLeader({ replicas, targetIsr, currentLeader: 1, election, isAcceptableLeader: (r) => r !== 3 });
  // BAZ: replicas [2, 1, 3], ISR [1, 3], leader 3; everyone is acceptable.
  const baz = (election: Election) =>
    electLeader({ replicas: [2, 1, 3], targetIsr: [1, 3], currentLeader: 3, election, isAcceptableLeader: () => true });

  it('a preferred election picks replicas[0] when it is in the ISR and acceptable', () => {
    expect(foo('preferred')).toEqual({ leader: 2, unclean: false });
  });

  it('keeps the current leader while it is still valid, clean or unclean', () => {
    expect(foo('online')).toEqual({ leader: 1, unclean: false });
    expect(foo('unclean')).toEqual({ leader: 1, unclean: false });
    expect(foo('online', [1, 3])).toEqual({ leader: 1, unclean: false });
    expect(foo('unclean', [1, 3])).toEqual({ leader: 1, unclean: false });
  });

  it('elects nobody when the only ISR member is not acceptable and unclean election is off', () => {
    expect(foo('online', [3])).toEqual({ leader: -1, unclean: false });
  });

  it('an unclean election falls back to the first acceptable replica in replica order and says so', () => {
    expect(foo('unclean', [3])).toEqual({ leader: 2, unclean: true });
  });

  it('a replica added to the replicas and the ISR is a clean choice', () => {
    expect(foo('unclean', [4], [2, 1, 3, 4])).toEqual({ leader: 4, unclean: false });
  });

  it('a preferred election keeps a valid leader when replicas[0] is outside the ISR', () => {
    expect(baz('preferred')).toEqual({ leader: 3, unclean: false });
    expect(baz('online')).toEqual({ leader: 3, unclean: false });
    expect(baz('unclean')).toEqual({ leader: 3, unclean: false });
  });
});

describe('electLeader (PartitionLeaderElectionAlgorithmsTest, leader gone)', () => {
  // The ZooKeeper algorithms have no current leader to keep: the old leader is offline.
  const offline = (assignment: number[], isr: number[], live: number[], election: Election = 'online') =>
    electLeader({ replicas: assignment, targetIsr: isr, currentLeader: -1, election, isAcceptableLeader: (r) => live.includes(r) });

  it('testOfflinePartitionLeaderElection: the first live ISR replica in assignment order', () => {
    expect(offline([2, 4], [2, 4], [4])).toEqual({ leader: 4, unclean: false });
  });

  it('testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionDisabled: no leader', () => {
    expect(offline([2, 4], [2], [4])).toEqual({ leader: -1, unclean: false });
  });

  it('testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionEnabled: the live replica, unclean', () => {
    expect(offline([2, 4], [2], [4], 'unclean')).toEqual({ leader: 4, unclean: true });
  });

  it('testReassignPartitionLeaderElection*: live ISR member, or none when no ISR member is live', () => {
    expect(offline([2, 4], [2, 4], [4])).toEqual({ leader: 4, unclean: false });
    expect(offline([2, 4], [2], [])).toEqual({ leader: -1, unclean: false });
    expect(offline([2, 4], [], [2])).toEqual({ leader: -1, unclean: false });
  });

  it('testPreferredReplicaPartitionLeaderElection*: replicas[0] when live and in the ISR', () => {
    expect(offline([2, 4], [2, 4], [2, 4], 'preferred')).toEqual({ leader: 2, unclean: false });
    expect(offline([2, 4], [2], [], 'preferred')).toEqual({ leader: -1, unclean: false });
    expect(offline([2, 4], [], [], 'preferred')).toEqual({ leader: -1, unclean: false });
  });

  it("KRaft's preferred election falls back where ZooKeeper's answered None (preferred replica not in the ISR)", () => {
    // PartitionLeaderElectionAlgorithmsTest expects None here; PartitionChangeBuilder#electPreferredLeader goes on.
    expect(offline([2, 4], [4], [2, 4], 'preferred')).toEqual({ leader: 4, unclean: false });
  });

  it('testControlledShutdownPartitionLeaderElection*: brokers shutting down are not acceptable', () => {
    const shutdown = (isr: number[], shuttingDown: number[]) =>
      electLeader({ replicas: [2, 4], targetIsr: isr, currentLeader: 2, election: 'online', isAcceptableLeader: (r) => !shuttingDown.includes(r) });
    expect(shutdown([2, 4], [2])).toEqual({ leader: 4, unclean: false });
    expect(shutdown([2], [2])).toEqual({ leader: -1, unclean: false });
    expect(shutdown([2, 4], [2, 4])).toEqual({ leader: -1, unclean: false });
  });
});
