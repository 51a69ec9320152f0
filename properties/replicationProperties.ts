// The replication promises as predicates over one run's result: which of the run's anomalies and invariant
// violations break each property. A property holds for a run when its list is empty.
import type { KafkaProfileName } from '../src/scenario/kafkaProfile.ts';
import { brokerNodeId } from '../src/protocol/nodeIds.ts';
import type fc from 'fast-check';
import type { RunResult, RunnableScenario } from '../src/scenario/runResolvedScenario.ts';
import type { PropertyName, WeakeningName } from '../src/scenario/weakenings.ts';
import { groupScenarioArbitrary } from './arbitraries/groupScenarioArbitrary.ts';
import { replicationScenarioArbitrary } from './arbitraries/replicationScenarioArbitrary.ts';

// Jepsen's anomaly names and the invariants each property is made of.
const checkersOf: Record<PropertyName, { anomalies: readonly string[]; invariants: readonly string[] }> = {
  // Every acknowledged write is read after the faults heal: none lost below what polls saw, none unseen, none
  // missing from the final read from the beginning. And outcomes are told truthfully the other way too: a send
  // reported failed (definitely not written) is never read (G1a, Jepsen's aborted read).
  'no-loss': { anomalies: ['lost-write', 'unseen', 'final-read-loss', 'G1a'], invariants: [] },
  // Per-partition order: a producer's writes land in send order, readers see offsets in order with no skips,
  // with idempotence nothing is written twice, and no offset ever holds two values as clients see them.
  // With consumer groups running: each member processes each partition in offset order within a generation.
  ordering: {
    anomalies: ['nonmonotonic-send', 'nonmonotonic-poll', 'poll-skip', 'duplicate', 'inconsistent-offsets', 'nonmonotonic-processing', 'processing-skip'],
    invariants: [],
  },
  // Replicas agree below the HW, one leader per epoch, a leader's HW never goes back. These hold under power
  // losses too. What clients see does not: a leader that is the last ISR member and loses its page cache is
  // elected again with a shorter log (KIP-966's "last replica standing", bug R12, which Kafka 3.9 without ELR
  // has), so offsets it had served get new values.
  'log-matching': { anomalies: [], invariants: ['log-matching', 'single-leader-per-epoch', 'leader-hw-monotonic'] },
  // No partition owned by two members of one generation at any instant; no commit stored from a stale generation.
  'single-owner': { anomalies: ['double-ownership', 'stale-generation-commit'], invariants: [] },
  // Acknowledged committed offsets of a group never go backwards.
  'committed-offsets': { anomalies: ['committed-offset-regression'], invariants: [] },
  // After the faults heal, every record in the log is processed by some member, and the group converges.
  'group-at-least-once': { anomalies: ['unprocessed', 'undrained', 'group-not-converged'], invariants: [] },
};

/** The property names, in report order. */
export const replicationPropertyNames: readonly PropertyName[] = ['no-loss', 'ordering', 'log-matching'];

/** The consumer-group properties, checked over group scenarios (groupScenarioArbitrary). */
export const groupPropertyNames: readonly PropertyName[] = ['single-owner', 'committed-offsets', 'group-at-least-once'];

/**
 * What in this run breaks `property`, as `name (count)` strings; empty when the property held. A run in which the
 * controller elected a partition's last known leader with unclean elections off (KIP-966 balanced recovery,
 * `PartitionChangeBuilder#canElectLastKnownLeader`), and that broker had lost its page cache in the run, is outside
 * the replication promises: Kafka marks the election unclean (LeaderRecoveryState RECOVERING) because the leader
 * may have lost acknowledged records, and this one did, so no-loss, ordering and log-matching do not judge it
 * (`kafka-sim run` prints the election). A last known leader that only crashed kept its log, and is judged.
 */
export function propertyViolations(property: PropertyName, result: RunResult): string[] {
  if (replicationPropertyNames.includes(property) && lossyUncleanRecovery(result)) return [];
  const { anomalies, invariants } = checkersOf[property];
  const found: string[] = [];
  for (const name of anomalies) {
    const count = result.checkers.anomalies[name];
    if (count !== undefined && count > 0) found.push(`${name} (${count})`);
  }
  for (const invariant of result.invariants) {
    if (invariants.includes(invariant.invariant) && !invariant.valid) found.push(`${invariant.invariant} (${invariant.violations})`);
  }
  // Liveness after heal belongs to the no-loss promise: acknowledged writes must be readable, not just present.
  if (property === 'no-loss' && !result.finalReadComplete) found.push('final-read-incomplete');
  return found;
}

/**
 * The scenarios a property is checked over. No loss and ordering are promised under process crashes, pauses and
 * network faults; log matching holds under power losses too (leader epochs repair what a lost page cache breaks,
 * KIP-101), so its runs draw them.
 */
export function propertyArbitrary(property: PropertyName, weakenings: readonly WeakeningName[] = [], kafkaVersion?: KafkaProfileName, nemesis: { shutdowns?: boolean } = {}): fc.Arbitrary<RunnableScenario> {
  const profile = kafkaVersion === undefined ? {} : { kafkaVersion };
  const shutdowns = nemesis.shutdowns === true ? { shutdowns: true } : {};
  if (groupPropertyNames.includes(property)) return groupScenarioArbitrary({ weakenings, ...profile, ...shutdowns });
  return replicationScenarioArbitrary({ weakenings, powerLoss: property === 'log-matching', ...profile, ...shutdowns });
}

/**
 * Whether the run elected, with unclean elections off, a leader that had lost its page cache before: a last known
 * leader (KIP-966's unclean recovery, Kafka 4.x), or a broker re-elected with a log ending below what the ISR had
 * acknowledged (Kafka 3.9 keeps an ISR member in the ISR across its unclean shutdown: bug R12). Kafka can lose
 * acknowledged writes then, and replicas hold records the new leader lacks until they truncate to it.
 */
export function lossyUncleanRecovery(result: RunResult): boolean {
  const powerLost = new Set(result.appliedFaults.flatMap(({ applied }) => (applied?.kind === 'powerLoss' ? [applied.node] : [])));
  const lostPower = ({ leader }: { leader: number }) => powerLost.has(brokerNodeId(leader));
  return result.uncleanRecoveries.some(lostPower) || result.lossyElections.some(lostPower);
}
