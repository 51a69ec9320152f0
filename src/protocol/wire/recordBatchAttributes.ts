// The attributes of a RecordBatch v2, an int16 of flags (Kafka's `DefaultRecordBatch`):
//   bits 0-2 compression type, bit 3 timestamp type, bit 4 transactional, bit 5 control,
//   bit 6 delete horizon (KIP-534), bits 7-15 unused.
// Kafka ignores the unused bits, and so does this codec: they are not kept, and written as 0.
import { ArgumentError } from '../../kernel/argumentError.ts';
import { WireFormatError } from './WireFormatError.ts';

/** How a batch's records are compressed: Kafka's `CompressionType#name`, in the order of their ids 0-4. */
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Whether record timestamps are the producer's or the broker's: Kafka's `TimestampType#name`. */
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** The flags of a batch, decoded from its attributes. */
export interface RecordBatchAttributes {
  compression: CompressionType;
  /** LogAppendTime: the broker set maxTimestamp, and every record's timestamp is that. */
  timestampType: TimestampType;
  /** The batch was written inside a transaction (KIP-98). */
  isTransactional: boolean;
  /** The batch holds one control record, a transaction marker, not user data (KIP-98). */
  isControlBatch: boolean;
  /** Set by the log cleaner only: baseTimestamp is the time after which tombstones and markers go (KIP-534). */
  hasDeleteHorizonMs: boolean;
}

const compressionTypes: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const compressionMask = 0x07;
const timestampTypeFlag = 0x08;
const transactionalFlag = 0x10;
const controlFlag = 0x20;
const deleteHorizonFlag = 0x40;

/**
 * Decodes the attributes field, read at `offset`. A compression id above 4 is not Kafka's format (Kafka's
 * `CompressionType#forId` throws "Unknown compression type id") and throws a WireFormatError.
 */
export function decodeRecordBatchAttributes(attributes: number, offset: number): RecordBatchAttributes {
  const compressionId = attributes & compressionMask;
  const compression = compressionTypes[compressionId];
  if (compression === undefined) {
    throw new WireFormatError('recordBatch.attributes (int16)', offset, `unknown compression type id ${compressionId}`);
  }
  return {
    compression,
    timestampType: (attributes & timestampTypeFlag) === 0 ? 'CreateTime' : 'LogAppendTime',
    isTransactional: (attributes & transactionalFlag) !== 0,
    isControlBatch: (attributes & controlFlag) !== 0,
    hasDeleteHorizonMs: (attributes & deleteHorizonFlag) !== 0,
  };
}

/** The attributes field for these flags (Kafka's `DefaultRecordBatch#computeAttributes`). */
export function encodeRecordBatchAttributes(flags: RecordBatchAttributes): number {
  const compressionId = compressionTypes.indexOf(flags.compression);
  if (compressionId === -1) {
    throw new ArgumentError('encodeRecordBatchAttributes', 'compression', flags.compression, `one of ${compressionTypes.join(', ')}`);
  }
  return (
    compressionId |
    (flags.timestampType === 'LogAppendTime' ? timestampTypeFlag : 0) |
    (flags.isTransactional ? transactionalFlag : 0) |
    (flags.isControlBatch ? controlFlag : 0) |
    (flags.hasDeleteHorizonMs ? deleteHorizonFlag : 0)
  );
}
