import { NO_LEADER } from './metadataImage.ts';

/**
 * The kind of election (`PartitionChangeBuilder.Election`): `online` keeps the partition available from the ISR,
 * `unclean` may fall back to a replica outside the ISR (only when `unclean.leader.election.enable`), `preferred`
 * tries the first assigned replica first.
 */
export type Election = 'online' | 'unclean' | 'preferred';

/** What the election looks at: the replicas in assignment order, the ISR and ELR the change is heading to, the leader now. */
export interface ElectLeaderInput {
  readonly replicas: readonly number[];
  readonly targetIsr: readonly number[];
  /** The eligible leader replicas the change is heading to (KIP-966); empty without ELR. */
  readonly targetElr?: readonly number[];
  readonly currentLeader: number;
  readonly election: Election;
  /** Whether a broker may lead: registered, unfenced, not shutting down (Kafka's `LeaderAcceptor`). */
  readonly isAcceptableLeader: (brokerId: number) => boolean;
  /**
   * The last known leader when it may be elected (KIP-966 "balanced recovery": ELR on, the target ISR and ELR both
   * empty, the partition's LastKnownElr holding exactly that leader, and it acceptable); NO_LEADER otherwise.
   */
  readonly lastKnownLeader?: number;
}

/** The elected leader (-1 when none) and whether it came from outside the ISR and ELR. */
export interface ElectionResult {
  readonly leader: number;
  readonly unclean: boolean;
}

/**
 * KRaft's leader election (`PartitionChangeBuilder#electLeader`). A replica is a valid new leader when it is in the
 * target ISR, or, with the target ISR empty, in the target ELR, and acceptable (`isValidNewLeader`). In order:
 * keep the current leader while it is valid; else the first valid replica in replica order; else the last known
 * leader (KIP-966, reported `unclean`: it may miss acknowledged records); else, for an unclean election only, the
 * first acceptable replica in replica order, reported `unclean`. A preferred election tries `replicas[0]` first
 * and then falls back like an online one, without the unclean step (the ZooKeeper controller's preferred election
 * did not fall back at all).
 */
export function electLeader(input: ElectLeaderInput): ElectionResult {
  const { replicas, targetIsr, currentLeader, election, isAcceptableLeader } = input;
  const targetElr = input.targetElr ?? [];
  const isValid = (replica: number): boolean =>
    (targetIsr.includes(replica) || (targetIsr.length === 0 && targetElr.includes(replica))) && isAcceptableLeader(replica);

  if (election === 'preferred') {
    const preferred = replicas[0];
    if (preferred !== undefined && isValid(preferred)) return { leader: preferred, unclean: false };
  }
  if (currentLeader !== NO_LEADER && isValid(currentLeader)) return { leader: currentLeader, unclean: false };

  const clean = replicas.find(isValid);
  if (clean !== undefined) return { leader: clean, unclean: false };

  const lastKnownLeader = input.lastKnownLeader ?? NO_LEADER;
  if (lastKnownLeader !== NO_LEADER) return { leader: lastKnownLeader, unclean: true };

  if (election === 'unclean') {
    const unclean = replicas.find(isAcceptableLeader);
    if (unclean !== undefined) return { leader: unclean, unclean: true };
  }
  return { leader: NO_LEADER, unclean: false };
}
