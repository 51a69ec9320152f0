/**
 * Bytes from the network that do not follow Kafka's wire format: a frame cut short, a length that points past
 * the end, a null where the schema forbids one. It names what was being read and the byte offset where that
 * read started: `cannot read correlationId (int32) at offset 4: truncated, needs 4 bytes but 2 remain`.
 * A broker that meets one closes the connection, as Kafka's does on an `InvalidRequestException`; it is not a
 * protocol error code that goes back to the client.
 */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';

  constructor(
    /** The field and its wire type, e.g. `correlationId (int32)`. */
    readonly field: string,
    /** The offset in the frame where the read of `field` started. */
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`cannot read ${field} at offset ${offset}: ${problem}`);
  }
}
