import type { ControllerConfig } from './controllerDefaults.ts';
import type { BrokerChangeOptions } from './partitionChange.ts';

/**
 * How the controller's elections run under `config`: unclean or not (`unclean.leader.election.enable`), and with
 * Eligible Leader Replicas when the `eligible.leader.replicas.version` feature is 1 (`ReplicationControlManager
 * #isElrEnabled`), each topic's min ISR being its own setting or the cluster's.
 */
export function electionOptions(config: ControllerConfig): BrokerChangeOptions {
  const { uncleanLeaderElectionEnable } = config;
  if (config.eligibleLeaderReplicasVersion < 1) return { uncleanLeaderElectionEnable };
  const minInsyncReplicasOf = (topic: string): number => config.topicMinInsyncReplicas[topic] ?? config.minInsyncReplicas;
  return { uncleanLeaderElectionEnable, elr: { minInsyncReplicasOf } };
}
