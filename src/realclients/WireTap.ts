// What a real client learned from its brokers, read off its own connections (a packet capture inside the process):
// the generation each JoinGroup response gave a member. kafkajs does not tell its application the generation it
// joined, and the group checkers judge ownership per generation (src/checker/group/singleOwner.ts), so the recorder
// asks the tap. Only what the client received counts: a response lost on the way never reaches the tap.
import { ByteReader } from '../protocol/wire/ByteReader.ts';
import { apiKeys } from '../protocol/wire/apiKeys.ts';

interface SocketTap {
  /** Request bytes not yet a whole frame, and response bytes likewise. */
  sent: Buffer;
  received: Buffer;
  /** correlation id -> [api key, api version] of the requests in flight on the socket. */
  inFlight: Map<number, [number, number]>;
}

/** Reads the frames at the front of `bytes`; returns them and the rest. */
function frames(bytes: Buffer): { whole: Buffer[]; rest: Buffer } {
  const whole: Buffer[] = [];
  let offset = 0;
  while (bytes.length - offset >= 4) {
    const size = bytes.readInt32BE(offset);
    if (size < 0 || bytes.length - offset - 4 < size) break;
    whole.push(bytes.subarray(offset + 4, offset + 4 + size));
    offset += 4 + size;
  }
  return { whole, rest: bytes.subarray(offset) };
}

export class WireTap {
  private readonly sockets = new Map<number, SocketTap>();
  private readonly generations = new Map<string, number>();
  private readonly joinListeners: Array<(groupId: string) => void> = [];

  /**
   * Calls `listener` with the group id each time the client sends a JoinGroup: with the eager protocol a member has
   * given up its partitions by then (Kafka's `ConsumerCoordinator#onJoinPrepare` revokes before the request).
   */
  onJoinGroupSent(listener: (groupId: string) => void): void {
    this.joinListeners.push(listener);
  }

  /** The generation the last successful JoinGroup response gave `memberId` (-1: none seen). */
  generationOf(memberId: string): number {
    return this.generations.get(memberId) ?? -1;
  }

  /** Bytes the client wrote on a socket. */
  sent(socket: number, bytes: Buffer): void {
    const tap = this.socket(socket);
    const { whole, rest } = frames(Buffer.concat([tap.sent, bytes]));
    tap.sent = rest;
    for (const frame of whole) {
      if (frame.length < 8) continue;
      const apiKey = frame.readInt16BE(0);
      tap.inFlight.set(frame.readInt32BE(4), [apiKey, frame.readInt16BE(2)]);
      if (apiKey === apiKeys.JoinGroup.apiKey) this.joinGroupRequest(frame);
    }
  }

  /** Bytes the client read from a socket. */
  received(socket: number, bytes: Buffer): void {
    const tap = this.socket(socket);
    const { whole, rest } = frames(Buffer.concat([tap.received, bytes]));
    tap.received = rest;
    for (const frame of whole) {
      if (frame.length < 4) continue;
      const correlationId = frame.readInt32BE(0);
      const request = tap.inFlight.get(correlationId);
      tap.inFlight.delete(correlationId);
      if (request?.[0] === apiKeys.JoinGroup.apiKey) this.joinGroupResponse(frame, request[1]);
    }
  }

  /** The socket closed: its partial frames and requests in flight are gone. */
  closed(socket: number): void {
    this.sockets.delete(socket);
  }

  // JoinGroup request v0-v5 (header v1: api key, version, correlation id, client id; kafkajs never sends a flexible
  // one): the group id is the body's first field.
  private joinGroupRequest(frame: Buffer): void {
    try {
      const reader = new ByteReader(frame, 8);
      reader.readNullableString('clientId');
      const groupId = reader.readString('groupId');
      for (const listener of this.joinListeners) listener(groupId);
    } catch {
      // Not a request the broker could read either.
    }
  }

  // JoinGroup response v0-v5 (header v0: the correlation id, then the body): throttle_time_ms from v2, error_code,
  // generation_id, protocol_name, leader, member_id, ...
  private joinGroupResponse(frame: Buffer, version: number): void {
    try {
      const reader = new ByteReader(frame, 4);
      if (version >= 2) reader.readInt32('throttleTimeMs');
      const errorCode = reader.readInt16('errorCode');
      const generation = reader.readInt32('generationId');
      reader.readString('protocolName');
      reader.readString('leader');
      const memberId = reader.readString('memberId');
      if (errorCode === 0) this.generations.set(memberId, generation);
    } catch {
      // Not what a JoinGroup response should be: the client will not make sense of it either.
    }
  }

  private socket(id: number): SocketTap {
    let tap = this.sockets.get(id);
    if (tap === undefined) this.sockets.set(id, (tap = { sent: Buffer.alloc(0), received: Buffer.alloc(0), inFlight: new Map() }));
    return tap;
  }
}
