// The experiments' names, in the order the README shows them, apart from the experiments themselves (each loads a
// simulation), so that the command line's help lists them without loading any. index.ts checks that the two agree.
export const experimentNames: readonly string[] = ['keys', 'acks', 'ordering', 'group-sizing', 'rebalance', 'failover', 'scaling'];
