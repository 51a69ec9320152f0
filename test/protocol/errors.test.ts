import { describe, expect, it } from 'vitest';
import { errorByCode, isRetriable, kafkaErrors, type KafkaErrorType } from '../../src/protocol/errors.ts';

const entries = Object.entries(kafkaErrors);

describe('kafkaErrors', () => {
  // Codes from clients/.../common/protocol/Errors.java; retriable = the exception class Errors maps the code
  // to extends RetriableException (clients/.../common/errors/*Exception.java).
  it.each([
    ['NONE', 0, false],
    ['UNKNOWN_SERVER_ERROR', -1, false], // UnknownServerException extends ApiException
    ['OFFSET_OUT_OF_RANGE', 1, false], // OffsetOutOfRangeException -> InvalidOffsetException -> ApiException
    ['CORRUPT_MESSAGE', 2, true], // CorruptRecordException extends RetriableException
    ['NOT_LEADER_OR_FOLLOWER', 6, true], // NotLeaderOrFollowerException -> InvalidMetadataException
    ['REQUEST_TIMED_OUT', 7, true], // TimeoutException extends RetriableException
    ['NOT_COORDINATOR', 16, true], // NotCoordinatorException -> RefreshRetriableException
    ['NOT_ENOUGH_REPLICAS', 19, true],
    ['NOT_ENOUGH_REPLICAS_AFTER_APPEND', 20, true],
    ['INVALID_REQUIRED_ACKS', 21, false], // InvalidRequiredAcksException -> InvalidConfigurationException
    ['ILLEGAL_GENERATION', 22, false],
    ['UNKNOWN_MEMBER_ID', 25, false],
    ['REBALANCE_IN_PROGRESS', 27, false],
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false],
    ['DUPLICATE_SEQUENCE_NUMBER', 46, false],
    ['INVALID_PRODUCER_EPOCH', 47, false],
    ['UNKNOWN_PRODUCER_ID', 59, false], // UnknownProducerIdException extends OutOfOrderSequenceException
    ['FENCED_LEADER_EPOCH', 74, true], // FencedLeaderEpochException -> InvalidMetadataException
    ['UNKNOWN_LEADER_EPOCH', 75, true],
    ['OFFSET_NOT_AVAILABLE', 78, true],
    ['MEMBER_ID_REQUIRED', 79, false],
    ['INELIGIBLE_REPLICA', 107, false],
  ] as const)('has %s with code %i, retriable %s, as in Kafka', (type, code, retriable) => {
    expect(kafkaErrors[type]).toEqual({ type, code, retriable });
    expect(isRetriable(type)).toBe(retriable);
  });

  it('names every entry by its own key', () => {
    for (const [key, error] of entries) expect(error.type).toBe(key);
  });

  it('gives every entry a distinct code', () => {
    const codes = entries.map(([, error]) => error.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses only Kafka\'s int16 wire codes', () => {
    for (const [, error] of entries) {
      expect(Number.isInteger(error.code) && error.code >= -32768 && error.code <= 32767).toBe(true);
    }
  });
});

describe('errorByCode', () => {
  it('round-trips every entry of the table', () => {
    for (const [, error] of entries) expect(errorByCode(error.code)).toBe(error);
  });

  it('answers undefined for a code the table does not hold', () => {
    expect(errorByCode(4)).toBeUndefined(); // INVALID_FETCH_SIZE exists in Kafka but not in this table
    expect(errorByCode(9999)).toBeUndefined();
  });
});

describe('isRetriable', () => {
  it('tells the two "not enough replicas" errors and a fencing error apart', () => {
    expect(isRetriable('NOT_ENOUGH_REPLICAS')).toBe(true);
    expect(isRetriable('NOT_ENOUGH_REPLICAS_AFTER_APPEND')).toBe(true);
    expect(isRetriable('FENCED_INSTANCE_ID')).toBe(false);
  });

  it('throws for a name that is not in the table, including inherited object keys', () => {
    expect(() => isRetriable('NOT_A_KAFKA_ERROR' as KafkaErrorType)).toThrow(
      'isRetriable: type must be the name of an error in kafkaErrors, got "NOT_A_KAFKA_ERROR"',
    );
    expect(() => isRetriable('toString' as KafkaErrorType)).toThrow(/isRetriable: type must be/);
  });
});
