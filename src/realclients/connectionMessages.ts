// What a real client's connections carry over the bus: TCP as the simulator models it. The client opens a socket
// with `tcp.connect` and the broker's gateway accepts it with `tcp.accept`; bytes go both ways in `tcp.data`
// (base64, so the trace stays JSON and its hash covers every byte); either side closes one socket with `tcp.close`.
// A lost message, a crash or a partition breaks the bus connection between the two nodes, and the bus's
// `connection.reset` then ends every socket between them, as TCP ends a connection whose segment was lost.
import type { Message } from '../kernel/Bus.ts';

/** The message types of the TCP model. */
export const TCP = {
  connect: 'tcp.connect',
  accept: 'tcp.accept',
  data: 'tcp.data',
  close: 'tcp.close',
} as const;

/** A TCP model message: which of the sender's sockets (numbered by the client, per client node) it concerns. */
export interface TcpMessage extends Message {
  type: (typeof TCP)[keyof typeof TCP];
  socket: number;
  /** Bytes, base64 (tcp.data only). */
  bytes?: string;
  /** Why the sender closed the socket (tcp.close only; for the trace). */
  reason?: string;
}
