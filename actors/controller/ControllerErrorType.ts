import type { KafkaErrorType } from '../../src/protocol/index.ts';

/** The name of an error a controller response can carry: any of Kafka's error table (src/protocol/errors.ts). */
export type ControllerErrorType = KafkaErrorType;
