import type { KafkaErrorType } from '../../src/protocol/index.ts';

/**
 * Kafka errors the controller answers with that the shared error table (`src/protocol/errors.ts`) does not list
 * yet, with Kafka's codes and retriable flags (`org.apache.kafka.common.protocol.Errors`). They belong in that
 * table; they live here only until its owner adds them.
 */
export const controllerOnlyErrors = {
  NOT_CONTROLLER: { type: 'NOT_CONTROLLER', code: 41, retriable: true },
  INVALID_REQUEST: { type: 'INVALID_REQUEST', code: 42, retriable: false },
  DUPLICATE_BROKER_REGISTRATION: { type: 'DUPLICATE_BROKER_REGISTRATION', code: 101, retriable: false },
} as const;

/** The name of an error a controller response can carry. */
export type ControllerErrorType = KafkaErrorType | keyof typeof controllerOnlyErrors;
