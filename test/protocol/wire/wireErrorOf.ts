import { WireFormatError } from '../../../src/protocol/wire/WireFormatError.ts';

/** The WireFormatError a read or decode throws, so that its fields can be checked one by one. */
export function wireErrorOf(read: () => unknown): WireFormatError {
  try {
    read();
  } catch (error) {
    if (error instanceof WireFormatError) return error;
    throw error;
  }
  throw new Error('expected a WireFormatError, but the read succeeded');
}
