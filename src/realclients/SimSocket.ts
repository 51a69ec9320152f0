// The socket a real client gets from its socketFactory: a `net.Socket` look-alike whose bytes travel over the bus
// (connectionMessages.ts). It emits what a client listens for on a TCP socket: `connect` once the broker accepted,
// `data` with each chunk the broker sent, `end` and `close` when the broker closed it, and `error` (ECONNRESET)
// then `close` when the connection broke (a lost message, a crash, a reset).
import { EventEmitter } from 'node:events';
import type { Message } from '../kernel/Bus.ts';
import { TCP } from './connectionMessages.ts';

type SocketState = 'connecting' | 'open' | 'closed';

/** What a socket needs from its node: sending on the bus while the node's process is the one that opened it. */
export interface SocketOwner {
  sendFromSocket(socket: SimSocket, message: Message): void;
}

export class SimSocket extends EventEmitter {
  private state: SocketState = 'connecting';

  constructor(
    private readonly owner: SocketOwner,
    /** The socket's number, unique within its client node for the whole run. */
    readonly id: number,
    /** The broker node it connects to. */
    readonly peer: string,
  ) {
    super();
  }

  /** Opens the connection (the client's `net.connect`): a `tcp.connect` to the broker. */
  open(): void {
    this.owner.sendFromSocket(this, { type: TCP.connect, socket: this.id });
  }

  get destroyed(): boolean {
    return this.state === 'closed';
  }

  write(data: Uint8Array | string, encoding?: BufferEncoding | ((error?: Error) => void), callback?: (error?: Error) => void): boolean {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (this.state !== 'open') {
      const error = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
      done?.(error);
      return false;
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(data);
    this.owner.sendFromSocket(this, { type: TCP.data, socket: this.id, bytes: bytes.toString('base64') });
    done?.();
    return true;
  }

  /** Closes this side (FIN): the broker forgets the connection. */
  end(): this {
    if (this.state !== 'closed') {
      if (this.state === 'open') this.owner.sendFromSocket(this, { type: TCP.close, socket: this.id });
      this.state = 'closed';
    }
    return this;
  }

  destroy(error?: Error): this {
    const wasClosed = this.state === 'closed';
    this.end();
    if (!wasClosed) {
      if (error !== undefined) this.emit('error', error);
      this.emit('close', error !== undefined);
    }
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setTimeout(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  // ---- what the node tells the socket ----

  /** The broker accepted the connection. */
  accepted(): void {
    if (this.state !== 'connecting') return;
    this.state = 'open';
    this.emit('connect');
  }

  /** Bytes from the broker. */
  received(bytes: Buffer): void {
    if (this.state === 'open') this.emit('data', bytes);
  }

  /** The broker closed the connection. */
  closedByPeer(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.emit('end');
    this.emit('close', false);
  }

  /** The connection broke (or was refused while connecting). */
  reset(): void {
    if (this.state === 'closed') return;
    const refused = this.state === 'connecting';
    this.state = 'closed';
    const error = Object.assign(new Error(refused ? `connect ECONNREFUSED ${this.peer}` : 'read ECONNRESET'), {
      code: refused ? 'ECONNREFUSED' : 'ECONNRESET',
    });
    this.emit('error', error);
    this.emit('close', true);
  }

  /** The node's process died: the socket is gone without a word to the code that held it. */
  abandon(): void {
    this.state = 'closed';
    this.removeAllListeners();
  }
}
