/**
 * Kafka's broker and topic defaults for the settings the broker's rules read (Kafka 3.9), each next to its
 * Kafka name. Scenarios override them; nothing else in actors/broker hard-codes them.
 */
export const brokerDefaults = {
  replicaLagTimeMaxMs: 30_000, // replica.lag.time.max.ms (10 s before 2.5, KIP-537)
  minInsyncReplicas: 1, // min.insync.replicas
} as const;
