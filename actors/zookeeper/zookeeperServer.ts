import type { ZkConnectRequest, ZkConnectResponse, ZkRequest, ZkResponse, ZkWatchEvent, ZkWatchSet } from '../../src/protocol/zookeeperMessages.ts';
import { applyWrite, emptyDataTree, ephemeralsOf, read, withoutWatchesOf, type DataTree, type FiredWatch } from './dataTree.ts';

// A standalone ZooKeeper server (`ZooKeeperServer` with its `SessionTrackerImpl`) as data in, data out: sessions
// with their timeouts, the data tree, and what each request answers and which watches it fires. One server, no
// ensemble: every write is durable once answered (the transaction log is fsynced before the reply, forceSync=yes),
// so the machine persists the tree and the sessions with each write.

/** `tickTime` (ZooKeeper's default): session timeouts are 2-20 ticks, and sessions expire on tick boundaries. */
export const ZOOKEEPER_TICK_MS = 2_000;

/** One session: its timeout, when it expires unless heard from, and the client node its watch events go to. */
export interface ZkSession {
  readonly timeoutMs: number;
  readonly expiresAtMs: number;
  readonly client: string;
}

/** The server's state. */
export interface ZkServerState {
  readonly tree: DataTree;
  readonly sessions: Readonly<Record<number, ZkSession>>;
  readonly nextSessionId: number;
}

/** What the server keeps on disk: the tree's znodes and zxid, the sessions (without expiry times), the next session id. */
export interface ZkDisk {
  readonly zxid: number;
  readonly nodes: DataTree['nodes'];
  readonly sessions: Readonly<Record<number, { readonly timeoutMs: number; readonly client: string }>>;
  readonly nextSessionId: number;
}

/** What a step sends: replies and watch events, each to a client node. */
export type ZkOutgoing = { readonly to: string; readonly message: ZkResponse | ZkConnectResponse | ZkWatchEvent };

/** A step's outcome: the next state, what to send, and whether the state must reach the disk before the replies. */
export interface ZkStep {
  readonly state: ZkServerState;
  readonly out: readonly ZkOutgoing[];
  readonly durable: boolean;
}

/** The first time on a tick boundary after `ms` (`ExpiryQueue#roundToNextInterval`). */
export function roundToNextTick(ms: number): number {
  return (Math.floor(ms / ZOOKEEPER_TICK_MS) + 1) * ZOOKEEPER_TICK_MS;
}

/**
 * The server at boot: from its disk (the tree as the last fsynced transaction left it, and every session that was
 * open, each given its whole timeout again from now, as `SessionTrackerImpl` re-adds them), or empty.
 */
export function bootServer(disk: ZkDisk | undefined, nowMs: number): ZkServerState {
  if (disk === undefined) return { tree: emptyDataTree(), sessions: {}, nextSessionId: 1 };
  const sessions: Record<number, ZkSession> = {};
  for (const [id, session] of Object.entries(disk.sessions)) sessions[Number(id)] = { ...session, expiresAtMs: roundToNextTick(nowMs + session.timeoutMs) };
  return { tree: { zxid: disk.zxid, nodes: disk.nodes, watches: { data: {}, child: {} } }, sessions, nextSessionId: disk.nextSessionId };
}

/** The state as it goes to disk. */
export function serverDisk(state: ZkServerState): ZkDisk {
  const sessions: Record<number, { timeoutMs: number; client: string }> = {};
  for (const [id, session] of Object.entries(state.sessions)) sessions[Number(id)] = { timeoutMs: session.timeoutMs, client: session.client };
  return { zxid: state.tree.zxid, nodes: state.tree.nodes, sessions, nextSessionId: state.nextSessionId };
}

/**
 * ConnectRequest (`ZooKeeperServer#processConnectRequest`): without a session id, a new session (a transaction),
 * its timeout clamped to [2, 20] ticks; with one, a reconnect: the session is touched and the client's watches are
 * set again, or SESSIONEXPIRED if the server no longer has it (it expired, or was closed).
 */
export function connect(state: ZkServerState, from: string, request: ZkConnectRequest, nowMs: number): ZkStep {
  if (request.sessionId !== undefined) {
    const session = state.sessions[request.sessionId];
    if (session === undefined) {
      return { state, durable: false, out: [{ to: from, message: { type: 'zk.connect.response', errorCode: 'SESSIONEXPIRED', sessionId: request.sessionId, sessionTimeoutMs: 0 } }] };
    }
    const touched = touch(state, request.sessionId, { ...session, client: from }, nowMs);
    const reply: ZkOutgoing = { to: from, message: { type: 'zk.connect.response', errorCode: 'OK', sessionId: request.sessionId, sessionTimeoutMs: session.timeoutMs } };
    const rewatched = request.watches === undefined ? { tree: touched.tree, fired: [] } : setWatches(touched.tree, request.sessionId, request.watches);
    return { state: { ...touched, tree: rewatched.tree }, durable: session.client !== from, out: [reply, ...watchEvents(touched, rewatched.fired)] };
  }
  const timeoutMs = Math.min(Math.max(request.sessionTimeoutMs, 2 * ZOOKEEPER_TICK_MS), 20 * ZOOKEEPER_TICK_MS);
  const sessionId = state.nextSessionId;
  const next: ZkServerState = {
    tree: { ...state.tree, zxid: state.tree.zxid + 1 },
    sessions: { ...state.sessions, [sessionId]: { timeoutMs, client: from, expiresAtMs: roundToNextTick(nowMs + timeoutMs) } },
    nextSessionId: sessionId + 1,
  };
  return { state: next, durable: true, out: [{ to: from, message: { type: 'zk.connect.response', errorCode: 'OK', sessionId, sessionTimeoutMs: timeoutMs } }] };
}

// SetWatches on reconnect (`DataTree#setWatches`): each watch is set again, and fires at once if what it watches
// changed after the zxid the client last saw (a data watch on a deleted node, or one changed since; an exist watch
// on a node now there; a child watch on a node deleted or whose children changed).
function setWatches(tree: DataTree, sessionId: number, set: ZkWatchSet): { tree: DataTree; fired: FiredWatch[] } {
  let next = tree;
  const fired: FiredWatch[] = [];
  for (const path of set.data) {
    const node = tree.nodes[path];
    if (node === undefined) fired.push({ sessionId, event: 'NodeDeleted', path });
    else if (node.stat.mzxid > set.relativeZxid) fired.push({ sessionId, event: 'NodeDataChanged', path });
    else next = read(next, 'getData', path, { sessionId }).tree;
  }
  for (const path of set.exist) {
    if (tree.nodes[path] !== undefined) fired.push({ sessionId, event: 'NodeCreated', path });
    else next = read(next, 'exists', path, { sessionId }).tree;
  }
  for (const path of set.child) {
    const node = tree.nodes[path];
    if (node === undefined) fired.push({ sessionId, event: 'NodeDeleted', path });
    else if (node.stat.pzxid > set.relativeZxid) fired.push({ sessionId, event: 'NodeChildrenChanged', path });
    else next = read(next, 'getChildren', path, { sessionId }).tree;
  }
  return { tree: next, fired };
}

/**
 * A request on a session: SESSIONEXPIRED when the server does not have the session; otherwise the session is
 * touched (any request counts as a heartbeat) and the request runs: reads with their watches, writes as one
 * transaction each (a multi too), close as the closeSession transaction that deletes the session's ephemeral nodes.
 */
export function handleRequest(state: ZkServerState, from: string, request: ZkRequest, nowMs: number): ZkStep {
  const session = state.sessions[request.sessionId];
  const reply = (tree: DataTree, fields: Omit<ZkResponse, 'type' | 'xid' | 'zxid'>): ZkOutgoing => ({ to: from, message: { type: 'zk.response', xid: request.xid, zxid: tree.zxid, ...fields } });
  if (session === undefined) return { state, durable: false, out: [reply(state.tree, { errorCode: 'SESSIONEXPIRED' })] };
  const touched = touch(state, request.sessionId, session, nowMs);
  switch (request.type) {
    case 'zk.ping.request':
      return { state: touched, durable: false, out: [reply(touched.tree, { errorCode: 'OK' })] };
    case 'zk.close.request': {
      const closed = closeSession(touched, request.sessionId, nowMs);
      return { ...closed, out: [...closed.out, reply(closed.state.tree, { errorCode: 'OK' })] };
    }
    case 'zk.getData.request':
    case 'zk.exists.request':
    case 'zk.getChildren.request': {
      const kind = request.type === 'zk.getData.request' ? 'getData' : request.type === 'zk.exists.request' ? 'exists' : 'getChildren';
      const { tree, ...result } = read(touched.tree, kind, request.path, request.watch ? { sessionId: request.sessionId } : null);
      return { state: { ...touched, tree }, durable: false, out: [reply(tree, result)] };
    }
    case 'zk.create.request':
      return write(touched, from, request, [{ op: 'create', path: request.path, data: request.data, ephemeral: request.ephemeral }], nowMs, false);
    case 'zk.setData.request':
      return write(touched, from, request, [{ op: 'setData', path: request.path, data: request.data, version: request.version }], nowMs, false);
    case 'zk.delete.request':
      return write(touched, from, request, [{ op: 'delete', path: request.path, version: request.version }], nowMs, false);
    case 'zk.multi.request':
      return write(touched, from, request, request.ops, nowMs, true);
  }
}

function write(state: ZkServerState, from: string, request: ZkRequest, ops: Parameters<typeof applyWrite>[1], nowMs: number, multi: boolean): ZkStep {
  const result = applyWrite(state.tree, ops, request.sessionId, nowMs);
  // A write that fails is still a transaction (an ErrorTxn with its own zxid, `PrepRequestProcessor#pRequest`).
  const next = { ...state, tree: result.errorCode === 'OK' ? result.tree : { ...state.tree, zxid: state.tree.zxid + 1 } };
  const first = result.results[0];
  const fields = multi ? { errorCode: result.errorCode, results: result.results } : { errorCode: result.errorCode, ...(first?.stat === undefined ? {} : { stat: first.stat }) };
  const reply: ZkOutgoing = { to: from, message: { type: 'zk.response', xid: request.xid, zxid: next.tree.zxid, ...fields } };
  // Watch events go out with the transaction, before the writer's reply (FinalRequestProcessor applies, then answers).
  return { state: next, durable: true, out: [...watchEvents(next, result.fired), reply] };
}

// The server heard from a session: it expires a whole timeout from now, on a tick boundary (`touchSession`).
function touch(state: ZkServerState, sessionId: number, session: ZkSession, nowMs: number): ZkServerState {
  return { ...state, sessions: { ...state.sessions, [sessionId]: { ...session, expiresAtMs: roundToNextTick(nowMs + session.timeoutMs) } } };
}

/** The sessions whose time ran out by `nowMs` expire, each as a closeSession transaction (`SessionTrackerImpl#run`). */
export function expireSessions(state: ZkServerState, nowMs: number): ZkStep {
  let next = state;
  const out: ZkOutgoing[] = [];
  let durable = false;
  const due = Object.entries(state.sessions).filter(([, session]) => session.expiresAtMs <= nowMs).map(([id]) => Number(id));
  for (const sessionId of due.sort((a, b) => a - b)) {
    const closed = closeSession(next, sessionId, nowMs);
    next = closed.state;
    out.push(...closed.out);
    durable = true;
  }
  return { state: next, out, durable };
}

/** When the next session expires (a tick boundary), or null without sessions. */
export function nextExpiryMs(state: ZkServerState): number | null {
  let earliest: number | null = null;
  for (const session of Object.values(state.sessions)) if (earliest === null || session.expiresAtMs < earliest) earliest = session.expiresAtMs;
  return earliest;
}

// closeSession: one transaction that deletes the session's ephemeral nodes (firing their watches) and the session.
function closeSession(state: ZkServerState, sessionId: number, nowMs: number): ZkStep {
  const deletes = ephemeralsOf(state.tree, sessionId).map((path) => ({ op: 'delete' as const, path, version: -1 }));
  const result = applyWrite(state.tree, deletes, sessionId, nowMs);
  const sessions = { ...state.sessions };
  delete sessions[sessionId];
  const next: ZkServerState = { ...state, tree: withoutWatchesOf({ ...result.tree, zxid: state.tree.zxid + 1 }, sessionId), sessions };
  return { state: next, durable: true, out: watchEvents(next, result.fired.filter((fired) => fired.sessionId !== sessionId)) };
}

function watchEvents(state: ZkServerState, fired: readonly FiredWatch[]): ZkOutgoing[] {
  return fired.flatMap(({ sessionId, event, path }) => {
    const session = state.sessions[sessionId];
    return session === undefined ? [] : [{ to: session.client, message: { type: 'zk.watch.event' as const, sessionId, event, path } }];
  });
}
