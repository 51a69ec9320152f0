import type { ZkConnectResponse, ZkErrorCode, ZkRequest, ZkResponse, ZkWatchEvent } from '../../src/protocol/zookeeperMessages.ts';

// The client side of a ZooKeeper session, as a broker or controller holds it (the Java client's `ClientCnxn` under
// Kafka's `ZooKeeperClient`), data in, data out. One server: the client connects, sends what its owner asks in order
// with increasing xids (requests made while connecting wait for the session), pings when it has sent nothing for a
// third of the session timeout, and counts the connection lost when it has heard nothing for two thirds of it
// (`ClientCnxn`'s readTimeout): every pending request fails with CONNECTIONLOSS and it reconnects with its session id
// and its watches (SetWatches). The server answering SESSIONEXPIRED means the session and its ephemeral znodes are
// gone: like Kafka's `ZooKeeperClient#reinitialize`, the client opens a new session and tells its owner, who must
// register again what it had (the broker's `/brokers/ids/N`, a controller's `/controller`).

/** A request without its session header: the client adds the session id and the xid. */
export type ZkCall = ZkRequest extends infer R ? (R extends ZkRequest ? Omit<R, 'sessionId' | 'xid'> : never) : never;

/** The client's state. */
export interface ZkClientState {
  readonly sessionId: number | null;
  /** The timeout asked for, then the one the server granted. */
  readonly sessionTimeoutMs: number;
  readonly connection: 'connecting' | 'connected';
  /** When the current connect went out, or the connection was last heard from. */
  readonly lastHeardMs: number;
  readonly lastSentMs: number;
  readonly nextXid: number;
  /** Requests sent and not answered, by xid, with the owner's tag. */
  readonly pending: Readonly<Record<number, { readonly tag: string; readonly call: ZkCall }>>;
  /** Requests made while connecting, sent once the session is there. */
  readonly queued: ReadonlyArray<{ readonly tag: string; readonly call: ZkCall }>;
  /** The zxid of the last reply (SetWatches tells the server what the client has seen). */
  readonly lastZxid: number;
  /** The watches set and not yet fired, to set again on a reconnect. */
  readonly watches: { readonly data: readonly string[]; readonly exist: readonly string[]; readonly child: readonly string[] };
}

/** What a step does: messages to the server, and what the owner learns. */
export type ZkClientEffect =
  | { readonly kind: 'send'; readonly message: object }
  | { readonly kind: 'reply'; readonly tag: string; readonly response: ZkResponse }
  | { readonly kind: 'watch'; readonly event: ZkWatchEvent }
  /** A session is open: a new one (the owner registers its ephemeral znodes again) or the old one back. */
  | { readonly kind: 'connected'; readonly sessionId: number; readonly newSession: boolean };

export interface ZkClientStep {
  readonly state: ZkClientState;
  readonly effects: readonly ZkClientEffect[];
}

/** A client that is about to connect for the first time. */
export function startClient(sessionTimeoutMs: number, nowMs: number): ZkClientStep {
  const state: ZkClientState = {
    sessionId: null,
    sessionTimeoutMs,
    connection: 'connecting',
    lastHeardMs: nowMs,
    lastSentMs: nowMs,
    nextXid: 1,
    pending: {},
    queued: [],
    lastZxid: 0,
    watches: { data: [], exist: [], child: [] },
  };
  return { state, effects: [{ kind: 'send', message: { type: 'zk.connect.request', sessionTimeoutMs } }] };
}

/** The owner's request: sent now on an open session, or once the session is open. */
export function call(state: ZkClientState, tag: string, request: ZkCall, nowMs: number): ZkClientStep {
  if (state.connection !== 'connected' || state.sessionId === null) return { state: { ...state, queued: [...state.queued, { tag, call: request }] }, effects: [] };
  return sendCall(state, state.sessionId, tag, request, nowMs);
}

function sendCall(state: ZkClientState, sessionId: number, tag: string, request: ZkCall, nowMs: number): ZkClientStep {
  const xid = state.nextXid;
  return {
    state: { ...state, nextXid: xid + 1, lastSentMs: nowMs, pending: { ...state.pending, [xid]: { tag, call: request } } },
    effects: [{ kind: 'send', message: { ...request, sessionId, xid } }],
  };
}

/**
 * The server's answer to a connect: the session is open (the queued requests go out), or it expired, and a new one
 * is asked for with no watches (they went with the session).
 */
export function onConnectResponse(state: ZkClientState, response: ZkConnectResponse, nowMs: number): ZkClientStep {
  if (response.errorCode === 'SESSIONEXPIRED') {
    const fresh = startClient(state.sessionTimeoutMs, nowMs);
    return { state: { ...fresh.state, nextXid: state.nextXid, queued: state.queued }, effects: fresh.effects };
  }
  let next: ZkClientState = { ...state, sessionId: response.sessionId, sessionTimeoutMs: response.sessionTimeoutMs, connection: 'connected', lastHeardMs: nowMs, queued: [] };
  const effects: ZkClientEffect[] = [{ kind: 'connected', sessionId: response.sessionId, newSession: state.sessionId !== response.sessionId }];
  for (const { tag, call: request } of state.queued) {
    const sent = sendCall(next, response.sessionId, tag, request, nowMs);
    next = sent.state;
    effects.push(...sent.effects);
  }
  return { state: next, effects };
}

/** A reply: the owner gets it by its tag; a watching read that succeeded (or an exists on a missing node) sets its watch. */
export function onResponse(state: ZkClientState, response: ZkResponse, nowMs: number): ZkClientStep {
  const pending = state.pending[response.xid];
  const heard = { ...state, lastHeardMs: nowMs, lastZxid: Math.max(state.lastZxid, response.zxid) };
  if (pending === undefined) return { state: heard, effects: [] };
  const rest = { ...heard.pending };
  delete rest[response.xid];
  const next = { ...heard, pending: rest, watches: withWatch(heard.watches, pending.call, response.errorCode) };
  if (response.errorCode === 'SESSIONEXPIRED') return sessionLost(next, nowMs, [{ kind: 'reply', tag: pending.tag, response }]);
  return pending.call.type === 'zk.ping.request' ? { state: next, effects: [] } : { state: next, effects: [{ kind: 'reply', tag: pending.tag, response }] };
}

function withWatch(watches: ZkClientState['watches'], request: ZkCall, errorCode: ZkErrorCode): ZkClientState['watches'] {
  if (!('watch' in request) || !request.watch) return watches;
  const add = (paths: readonly string[]) => (paths.includes(request.path) ? paths : [...paths, request.path]);
  if (request.type === 'zk.exists.request') return errorCode === 'OK' ? { ...watches, data: add(watches.data) } : errorCode === 'NONODE' ? { ...watches, exist: add(watches.exist) } : watches;
  if (errorCode !== 'OK') return watches;
  return request.type === 'zk.getChildren.request' ? { ...watches, child: add(watches.child) } : { ...watches, data: add(watches.data) };
}

/** A watch fired: it is gone from the client's set (one-shot), and the owner hears of it. */
export function onWatchEvent(state: ZkClientState, event: ZkWatchEvent, nowMs: number): ZkClientStep {
  const drop = (paths: readonly string[]) => paths.filter((path) => path !== event.path);
  const watches =
    event.event === 'NodeChildrenChanged'
      ? { ...state.watches, child: drop(state.watches.child) }
      : event.event === 'NodeDeleted'
        ? { data: drop(state.watches.data), exist: drop(state.watches.exist), child: drop(state.watches.child) }
        : { ...state.watches, data: drop(state.watches.data), exist: drop(state.watches.exist) };
  return { state: { ...state, watches, lastHeardMs: nowMs }, effects: [{ kind: 'watch', event }] };
}

/** The client's clock: a ping when idle for a third of the timeout, a reconnect when silent for two thirds. */
export function tick(state: ZkClientState, nowMs: number): ZkClientStep {
  // The deadlines are computed as nextTickMs computes them, so that a tick at one is never a float rounding short.
  if (nowMs >= state.lastHeardMs + (state.sessionTimeoutMs * 2) / 3) return connectionLost(state, nowMs);
  if (state.connection === 'connected' && state.sessionId !== null && nowMs >= state.lastSentMs + state.sessionTimeoutMs / 3) {
    return sendCall(state, state.sessionId, 'ping', { type: 'zk.ping.request' }, nowMs);
  }
  return { state, effects: [] };
}

/** When `tick` must run next. */
export function nextTickMs(state: ZkClientState): number {
  const readTimeoutAtMs = state.lastHeardMs + (state.sessionTimeoutMs * 2) / 3;
  return state.connection === 'connected' ? Math.min(readTimeoutAtMs, state.lastSentMs + state.sessionTimeoutMs / 3) : readTimeoutAtMs;
}

/**
 * The connection broke (the server's connection closed, or nothing heard for the read timeout): every pending
 * request fails with CONNECTIONLOSS (it may or may not have been applied), and the client reconnects with its
 * session and its watches.
 */
export function connectionLost(state: ZkClientState, nowMs: number): ZkClientStep {
  const failed = failPending(state, 'CONNECTIONLOSS');
  const reconnect =
    state.sessionId === null
      ? { type: 'zk.connect.request', sessionTimeoutMs: state.sessionTimeoutMs }
      : { type: 'zk.connect.request', sessionTimeoutMs: state.sessionTimeoutMs, sessionId: state.sessionId, watches: { relativeZxid: state.lastZxid, ...state.watches } };
  return {
    state: { ...state, connection: 'connecting', pending: {}, lastHeardMs: nowMs, lastSentMs: nowMs },
    effects: [...failed, { kind: 'send', message: reconnect }],
  };
}

function sessionLost(state: ZkClientState, nowMs: number, effects: ZkClientEffect[]): ZkClientStep {
  const failed = failPending(state, 'SESSIONEXPIRED');
  const fresh = startClient(state.sessionTimeoutMs, nowMs);
  return { state: { ...fresh.state, nextXid: state.nextXid }, effects: [...effects, ...failed, ...fresh.effects] };
}

function failPending(state: ZkClientState, errorCode: ZkErrorCode): ZkClientEffect[] {
  return Object.entries(state.pending)
    .filter(([, pending]) => pending.call.type !== 'zk.ping.request')
    .map(([xid, pending]) => ({ kind: 'reply', tag: pending.tag, response: { type: 'zk.response', xid: Number(xid), zxid: state.lastZxid, errorCode } }) as const);
}
