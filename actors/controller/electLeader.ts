import { NO_LEADER } from './metadataImage.ts';

/**
 * The kind of election (`PartitionChangeBuilder.Election`): `online` keeps the partition available from the ISR,
 * `unclean` may fall back to a replica outside the ISR (only when `unclean.leader.election.enable`), `preferred`
 * tries the first assigned replica first.
 */
export type Election = 'online' | 'unclean' | 'preferred';

/** What the election looks at: the replicas in assignment order, the ISR the change is heading to, the leader now. */
export interface ElectLeaderInput {
  readonly replicas: readonly number[];
  readonly targetIsr: readonly number[];
  readonly currentLeader: number;
  readonly election: Election;
  /** Whether a broker may lead: registered, unfenced, not shutting down (Kafka's `LeaderAcceptor`). */
  readonly isAcceptableLeader: (brokerId: number) => boolean;
}

/** The elected leader (-1 when none) and whether it came from outside the ISR. */
export interface ElectionResult {
  readonly leader: number;
  readonly unclean: boolean;
}

/**
 * KRaft's leader election (`PartitionChangeBuilder#electLeader`, without ELR): keep the current leader while it is
 * still valid (in the target ISR and acceptable); else the first valid replica in replica order; else, for an
 * unclean election only, the first acceptable replica in replica order, reported `unclean`. A preferred election
 * tries `replicas[0]` first and then falls back like an online one (the ZooKeeper controller's preferred election
 * did not fall back).
 */
export function electLeader(input: ElectLeaderInput): ElectionResult {
  const { replicas, targetIsr, currentLeader, election, isAcceptableLeader } = input;
  const isValid = (replica: number): boolean => targetIsr.includes(replica) && isAcceptableLeader(replica);

  if (election === 'preferred') {
    const preferred = replicas[0];
    if (preferred !== undefined && isValid(preferred)) return { leader: preferred, unclean: false };
  }
  if (currentLeader !== NO_LEADER && isValid(currentLeader)) return { leader: currentLeader, unclean: false };

  const clean = replicas.find(isValid);
  if (clean !== undefined) return { leader: clean, unclean: false };

  if (election === 'unclean') {
    const unclean = replicas.find(isAcceptableLeader);
    if (unclean !== undefined) return { leader: unclean, unclean: true };
  }
  return { leader: NO_LEADER, unclean: false };
}
