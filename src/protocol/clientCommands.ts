// What the application asks of a client: the calls a program makes on KafkaProducer / KafkaConsumer. The
// application lives in its client's process: the scenario's workload drivers make these calls with `world.call`,
// which reaches the client's machine at once, with no network in between (a crashed client takes its application
// with it, and the call is dropped). They are traced as `call` entries.

/** `KafkaProducer.send(new ProducerRecord(topic, partition, key, value))`. `value` is unique per run. */
export interface ClientSend {
  type: 'client.send';
  topic: string;
  key: string | null;
  value: string;
  /** An explicit partition wins over the key (ProducerRecord's partition field). */
  partition?: number;
}

/**
 * The final read of the liveness phase (Jepsen's final generator): seek every assigned partition to the
 * beginning and poll until the position reaches the high watermark the leader reports.
 */
export interface ClientReadToEnd {
  type: 'client.readToEnd';
}

/** Every command a workload driver sends to a client node. */
export type ClientCommand = ClientSend | ClientReadToEnd;
