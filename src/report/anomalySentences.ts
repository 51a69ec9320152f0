// Each anomaly a checker or invariant can report, said as a sentence under its Jepsen name (kafka.clj's
// `analysis` for the history anomalies; the simulator's own names for the group checkers and the invariants).

const sentences: Record<string, (n: number) => string> = {
  unseen: (n) => `${count(n, 'acknowledged value')} no poll ever returned: written, acknowledged, and never read.`,
  'final-read-loss': (n) => `${count(n, 'acknowledged value')} the final read (every partition from the start, after the faults healed) did not return: lost.`,
  'lost-write': (n) => `${count(n, 'acknowledged value')} below an offset some poll read past, that no poll ever returned: a hole in the log readers saw.`,
  'inconsistent-offsets': (n) => `${count(n, 'offset')} of a partition held different values in different reads or acknowledgements.`,
  duplicate: (n) => `${count(n, 'value')} appeared at more than one offset of a partition.`,
  'nonmonotonic-send': (n) => `${count(n, 'time')} one producer's consecutive acknowledged sends to a partition went backwards in offset.`,
  'nonmonotonic-poll': (n) => `${count(n, 'time')} a consumer's consecutive polls of a partition went backwards in offset.`,
  'int-nonmonotonic-poll': (n) => `${count(n, 'time')} offsets went backwards within a single poll.`,
  'poll-skip': (n) => `${count(n, 'time')} a consumer's consecutive polls of a partition skipped over offsets it had not read.`,
  'int-poll-skip': (n) => `${count(n, 'time')} a single poll skipped over offsets.`,
  G1a: (n) => `${count(n, 'read')} returned a value whose send failed: an aborted write was read (G1a).`,
  'double-ownership': (n) => `${count(n, 'time')} two members of a group owned the same partition at once.`,
  'committed-offset-regression': (n) => `${count(n, 'committed offset')} of a group went backwards.`,
  'stale-generation-commit': (n) => `${count(n, 'commit')} from an older generation of a group was accepted.`,
  unprocessed: (n) => `${count(n, 'record')} the group moved past without processing: skipped, not at-least-once.`,
  undrained: (n) => `${count(n, 'record')} the group had not reached by the end: late, not lost (a liveness result).`,
  'group-not-converged': (n) => `${count(n, 'group')} did not settle on one assignment covering every partition.`,
  'nonmonotonic-processing': (n) => `${count(n, 'time')} a member processed a partition's records out of offset order.`,
  'processing-skip': (n) => `${count(n, 'time')} a member skipped records of a partition it owned.`,
  'single-leader-per-epoch': (n) => `${count(n, 'time')} two brokers led the same partition in the same leader epoch.`,
  'log-matching': (n) => `${count(n, 'time')} two replicas held different records below both their high watermarks: committed data diverged.`,
  'leader-hw-monotonic': (n) => `${count(n, 'time')} a leader's high watermark went backwards.`,
};

/** The sentence for `count` occurrences of the anomaly `name`; a generic one for a name this table lacks. */
export function anomalySentence(name: string, n: number): string {
  return sentences[name]?.(n) ?? `${count(n, 'occurrence')} of ${name}.`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
