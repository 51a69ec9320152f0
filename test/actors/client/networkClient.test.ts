import { describe, expect, it } from 'vitest';
import {
  CONNECTION_SETUP_TIMEOUT_MS,
  canSendTo,
  closeConnection,
  connectionReset,
  createNetworkClient,
  isReady,
  leastLoadedNode,
  nextNetworkDeadlineMs,
  onHandshakeResponse,
  send,
  sendRequest,
  takeResponse,
  requestOf,
  timedOutNodes,
  type NetworkClient,
  type NetworkEffect,
} from '../../../actors/client/networkClient.ts';
import type { KafkaMessage } from '../../../src/protocol/messages.ts';

const metadata = (correlationId: number): KafkaMessage => ({ type: 'metadata.request', correlationId, topics: ['t'] });
const timing = (nowMs: number) => ({ nowMs, timeoutMs: 30_000 });

/** A client with a ready connection to broker 1 (handshake correlation id 0). */
function readyTo1(out: NetworkEffect[] = []): NetworkClient<string> {
  const [, queued] = sendRequest(createNetworkClient<string>(), 1, metadata, 'first', timing(0), out);
  const answered = onHandshakeResponse(queued, { correlationId: 0, from: 'broker-1' }, 5, out);
  if (answered === undefined) throw new Error('the handshake was not matched');
  return answered.nc;
}

describe('network client: one connection per broker, opened with the ApiVersions handshake', () => {
  it('keeps a request unsent until the handshake is answered, then sends it with its timeout from then', () => {
    const out: NetworkEffect[] = [];
    const [correlationId, queued] = sendRequest(createNetworkClient<string>(), 1, metadata, 'meta', timing(0), out);
    expect(out).toEqual([{ kind: 'send', to: 'broker-1', message: { type: 'apiVersions.request', correlationId: 0 } }]);
    expect(correlationId).toBe(1);
    expect(isReady(queued, 1)).toBe(false);
    // Nothing answers the unsent request: it was never sent.
    expect(takeResponse(queued, { correlationId: 1, from: 'broker-1' })).toBeUndefined();
    expect(nextNetworkDeadlineMs(queued, 0)).toBe(CONNECTION_SETUP_TIMEOUT_MS);
    const answered = onHandshakeResponse(queued, { correlationId: 0, from: 'broker-1' }, 7, out);
    expect(answered?.failed).toEqual([]);
    expect(out.slice(1)).toEqual([{ kind: 'send', to: 'broker-1', message: { type: 'metadata.request', correlationId: 1, topics: ['t'] } }]);
    const nc = answered?.nc as NetworkClient<string>;
    expect(isReady(nc, 1)).toBe(true);
    expect(requestOf(nc, 1)).toEqual({ node: 1, deadlineMs: 30_007, data: 'meta' });
    expect(takeResponse(nc, { correlationId: 1, from: 'broker-1' })?.request.data).toBe('meta');
  });

  it('fails the unsent requests with the connection when the handshake goes unanswered', () => {
    const out: NetworkEffect[] = [];
    const [, queued] = sendRequest(createNetworkClient<string>(), 2, metadata, 'meta', timing(0), out);
    expect(timedOutNodes(queued, CONNECTION_SETUP_TIMEOUT_MS - 1)).toEqual([]);
    expect(timedOutNodes(queued, CONNECTION_SETUP_TIMEOUT_MS)).toEqual([2]);
    const closed = closeConnection(queued, 2, CONNECTION_SETUP_TIMEOUT_MS, out);
    expect(out.at(-1)).toEqual({ kind: 'disconnect', to: 'broker-2' });
    expect(closed.failed.map((f) => [f.correlationId, f.request.data])).toEqual([
      [0, null],
      [1, 'meta'],
    ]);
    expect(closed.nc.requests).toEqual([]);
    // In reconnect backoff (50 ms after the first failure), nothing may go to it.
    expect(canSendTo(closed.nc, 2, CONNECTION_SETUP_TIMEOUT_MS + 49)).toBe(false);
    expect(canSendTo(closed.nc, 2, CONNECTION_SETUP_TIMEOUT_MS + 50)).toBe(true);
    // A request to it meanwhile waits unsent with its deadline now, so the next deadline pass fails it
    // (ConsumerNetworkClient#checkDisconnects); closing fails it without a second disconnect or a longer backoff.
    const sentAt = out.length;
    const [again, waiting] = sendRequest(closed.nc, 2, metadata, 'again', timing(CONNECTION_SETUP_TIMEOUT_MS), out);
    expect(out.length).toBe(sentAt);
    expect(timedOutNodes(waiting, CONNECTION_SETUP_TIMEOUT_MS)).toEqual([2]);
    const failedAgain = closeConnection(waiting, 2, CONNECTION_SETUP_TIMEOUT_MS, out);
    expect(failedAgain.failed.map((f) => f.correlationId)).toEqual([again]);
    expect(out.length).toBe(sentAt);
    expect(failedAgain.nc.reconnect).toEqual(closed.nc.reconnect);
  });

  it('does not open a second connection while one is being set up', () => {
    const out: NetworkEffect[] = [];
    let [, nc] = sendRequest(createNetworkClient<string>(), 1, metadata, 'a', timing(0), out);
    [, nc] = sendRequest(nc, 1, metadata, 'b', timing(1), out);
    expect(out.filter((e) => e.kind === 'send' && e.message.type === 'apiVersions.request')).toHaveLength(1);
    const answered = onHandshakeResponse(nc, { correlationId: 0, from: 'broker-1' }, 2, out);
    expect(out.slice(1).map((e) => (e.kind === 'send' ? (e.message as { correlationId: number }).correlationId : -1))).toEqual([1, 2]);
    expect(requestOf(answered?.nc as NetworkClient<string>, 2)?.deadlineMs).toBe(30_002);
  });
});

describe('network client: answers, losses and resets', () => {
  it('matches an answer by correlation id and sender only', () => {
    const nc = readyTo1();
    expect(takeResponse(nc, { correlationId: 1, from: 'broker-2' })).toBeUndefined();
    expect(takeResponse(nc, { correlationId: 9, from: 'broker-1' })).toBeUndefined();
    const taken = takeResponse(nc, { correlationId: 1, from: 'broker-1' });
    expect(taken?.outOfOrder).toBe(false);
    expect(taken?.nc.requests).toEqual([]);
  });

  it('calls an answer that skips an older request on its connection out of order, and keeps both on the books', () => {
    const out: NetworkEffect[] = [];
    const [second, nc] = send(readyTo1(out), 1, metadata, 'second', timing(10), out);
    const taken = takeResponse(nc, { correlationId: second, from: 'broker-1' });
    expect(taken?.outOfOrder).toBe(true);
    expect(taken?.nc.requests.map((booked) => booked.correlationId)).toEqual([1, 2]);
  });

  it('fails every request on a reset connection in the order made, and backs off longer after each reset in a row', () => {
    const out: NetworkEffect[] = [];
    const [, nc] = send(readyTo1(out), 1, metadata, 'second', timing(10), out);
    const reset = connectionReset(nc, 1, 100);
    expect(reset.failed.map((f) => f.request.data)).toEqual(['first', 'second']);
    expect(isReady(reset.nc, 1)).toBe(false);
    expect(reset.nc.reconnect[1]).toEqual({ atMs: 150, failures: 1 });
    expect(connectionReset(reset.nc, 1, 150).nc.reconnect[1]).toEqual({ atMs: 250, failures: 2 });
  });

  it('asks the ready broker first, then one connecting, then one not backing off (leastLoadedNode)', () => {
    const out: NetworkEffect[] = [];
    const ready = readyTo1(out);
    expect(leastLoadedNode(ready, [2, 3, 1], 0, 10)).toBe(1);
    const connecting = sendRequest(connectionReset(ready, 1, 10).nc, 3, metadata, 'x', timing(10), out)[1];
    expect(leastLoadedNode(connecting, [1, 2, 3], 0, 20)).toBe(3);
    expect(leastLoadedNode(createNetworkClient(), [1, 2, 3], 4, 0)).toBe(2);
    const allBackingOff = connectionReset(connectionReset(createNetworkClient(), 1, 0).nc, 2, 0).nc;
    expect(leastLoadedNode(allBackingOff, [1, 2], 0, 10)).toBeUndefined();
  });
});
