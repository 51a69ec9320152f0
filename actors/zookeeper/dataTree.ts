import type { ZkErrorCode, ZkOp, ZkStat, ZkWatchEventType } from '../../src/protocol/zookeeperMessages.ts';

// ZooKeeper's data tree as data in, data out (`org.apache.zookeeper.server.DataTree`, with the checks that
// `PrepRequestProcessor` makes before a write becomes a transaction, and `WatchManager`'s one-shot watches). Every
// write is one transaction with the next zxid; a multi is one transaction too, applied whole or not at all.

/** One znode: its data, its Stat and its children's names (sorted). */
export interface Znode {
  readonly data: unknown;
  readonly stat: ZkStat;
  readonly children: readonly string[];
}

/** Sessions that set a watch, by path: data watches (getData, exists) and child watches (getChildren). */
export interface Watches {
  readonly data: Readonly<Record<string, readonly number[]>>;
  readonly child: Readonly<Record<string, readonly number[]>>;
}

/** The tree: the last zxid, every znode by path (the root `/` always), and the watches set on it. */
export interface DataTree {
  readonly zxid: number;
  readonly nodes: Readonly<Record<string, Znode>>;
  readonly watches: Watches;
}

/** A watch that fired: the session to tell, what happened, where. */
export interface FiredWatch {
  readonly sessionId: number;
  readonly event: ZkWatchEventType;
  readonly path: string;
}

const emptyStat: ZkStat = { czxid: 0, mzxid: 0, pzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, ephemeralOwner: 0, numChildren: 0 };

/** A tree with only the root. */
export function emptyDataTree(): DataTree {
  return { zxid: 0, nodes: { '/': { data: null, stat: emptyStat, children: [] } }, watches: { data: {}, child: {} } };
}

/** The parent of a path (`/` for a top-level znode). */
export function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

// `PathUtils.validatePath`: absolute, no empty segment, no trailing slash, no `.` or `..` segment.
function validPath(path: string): boolean {
  if (path === '/') return true;
  if (!path.startsWith('/') || path.endsWith('/')) return false;
  return path
    .slice(1)
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** The result of a write: the next tree (unchanged when it failed), each op's outcome, and the watches it fired. */
export interface WriteResult {
  readonly tree: DataTree;
  readonly errorCode: ZkErrorCode;
  readonly results: ReadonlyArray<{ readonly errorCode: ZkErrorCode; readonly stat?: ZkStat }>;
  readonly fired: readonly FiredWatch[];
}

/**
 * Applies ops as one transaction for `sessionId` at `nowMs`: each is checked against the tree as the ops before it
 * left it (create: the path is new, its parent exists and is not ephemeral; setData, delete and check: the node
 * exists and its version is the one given, or -1; delete: no children). The first that fails fails them all: the
 * tree is unchanged, the ops before it answer OK, it answers its error, the ops after it RUNTIMEINCONSISTENCY
 * (`DataTree#processTxn` for a failed multi). A transaction that applies takes the next zxid, and its watches fire
 * once it has applied.
 */
export function applyWrite(tree: DataTree, ops: readonly ZkOp[], sessionId: number, nowMs: number): WriteResult {
  const zxid = tree.zxid + 1;
  const nodes: Record<string, Znode> = { ...tree.nodes };
  const results: Array<{ errorCode: ZkErrorCode; stat?: ZkStat }> = [];
  const changes: Array<{ event: ZkWatchEventType; path: string }> = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as ZkOp;
    const errorCode = applyOp(nodes, op, { zxid, sessionId, nowMs }, changes);
    if (errorCode !== 'OK') {
      const failed = ops.map((_, j): { errorCode: ZkErrorCode } => ({ errorCode: j < i ? 'OK' : j === i ? errorCode : 'RUNTIMEINCONSISTENCY' }));
      return { tree, errorCode, results: failed, fired: [] };
    }
    const stat = op.op === 'delete' ? undefined : nodes[op.path]?.stat;
    results.push(stat === undefined ? { errorCode } : { errorCode, stat });
  }
  const triggered = trigger(tree.watches, changes);
  return { tree: { zxid, nodes, watches: triggered.watches }, errorCode: 'OK', results, fired: triggered.fired };
}

function applyOp(nodes: Record<string, Znode>, op: ZkOp, txn: { zxid: number; sessionId: number; nowMs: number }, changes: Array<{ event: ZkWatchEventType; path: string }>): ZkErrorCode {
  if (!validPath(op.path) || (op.op === 'create' && op.path === '/')) return 'BADARGUMENTS';
  const node = Object.hasOwn(nodes, op.path) ? nodes[op.path] : undefined;
  switch (op.op) {
    case 'create': {
      if (node !== undefined) return 'NODEEXISTS';
      const parentPath = parentOf(op.path);
      const parent = nodes[parentPath];
      if (parent === undefined) return 'NONODE';
      if (parent.stat.ephemeralOwner !== 0) return 'NOCHILDRENFOREPHEMERALS';
      const { zxid, nowMs } = txn;
      const stat: ZkStat = { ...emptyStat, czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: nowMs, mtime: nowMs, ephemeralOwner: op.ephemeral ? txn.sessionId : 0 };
      nodes[op.path] = { data: op.data, stat, children: [] };
      nodes[parentPath] = withChildren(parent, [...parent.children, op.path.slice(parentPath.length === 1 ? 1 : parentPath.length + 1)].sort(), zxid);
      changes.push({ event: 'NodeCreated', path: op.path });
      return 'OK';
    }
    case 'setData':
      if (node === undefined) return 'NONODE';
      if (op.version !== -1 && op.version !== node.stat.version) return 'BADVERSION';
      nodes[op.path] = { ...node, data: op.data, stat: { ...node.stat, version: node.stat.version + 1, mzxid: txn.zxid, mtime: txn.nowMs } };
      changes.push({ event: 'NodeDataChanged', path: op.path });
      return 'OK';
    case 'delete': {
      if (node === undefined) return 'NONODE';
      if (op.version !== -1 && op.version !== node.stat.version) return 'BADVERSION';
      if (node.children.length > 0) return 'NOTEMPTY';
      const parentPath = parentOf(op.path);
      const parent = nodes[parentPath] as Znode;
      const name = op.path.slice(parentPath.length === 1 ? 1 : parentPath.length + 1);
      delete nodes[op.path];
      nodes[parentPath] = withChildren(parent, parent.children.filter((child) => child !== name), txn.zxid);
      changes.push({ event: 'NodeDeleted', path: op.path });
      return 'OK';
    }
    case 'check':
      if (node === undefined) return 'NONODE';
      return op.version !== -1 && op.version !== node.stat.version ? 'BADVERSION' : 'OK';
  }
}

function withChildren(parent: Znode, children: readonly string[], zxid: number): Znode {
  return { ...parent, children, stat: { ...parent.stat, cversion: parent.stat.cversion + 1, pzxid: zxid, numChildren: children.length } };
}

// WatchManager#triggerWatch for each change, in order: a create fires the path's data (exists) watches and the
// parent's child watches; a setData the path's data watches; a delete the path's data and child watches (once per
// session) and the parent's child watches. Each watch fires once and is gone.
function trigger(watches: Watches, changes: ReadonlyArray<{ event: ZkWatchEventType; path: string }>): { watches: Watches; fired: FiredWatch[] } {
  const data: Record<string, readonly number[]> = { ...watches.data };
  const child: Record<string, readonly number[]> = { ...watches.child };
  const fired: FiredWatch[] = [];
  const take = (set: Record<string, readonly number[]>, path: string): readonly number[] => {
    const sessions = Object.hasOwn(set, path) ? (set[path] as readonly number[]) : [];
    delete set[path];
    return sessions;
  };
  for (const { event, path } of changes) {
    const told = new Set<number>();
    const tell = (sessions: readonly number[], type: ZkWatchEventType, at: string) => {
      for (const sessionId of sessions) {
        if (at === path && told.has(sessionId)) continue;
        if (at === path) told.add(sessionId);
        fired.push({ sessionId, event: type, path: at });
      }
    };
    tell(take(data, path), event, path);
    if (event === 'NodeDeleted') tell(take(child, path), 'NodeDeleted', path);
    if (event !== 'NodeDataChanged') tell(take(child, parentOf(path)), 'NodeChildrenChanged', parentOf(path));
  }
  return { watches: { data, child }, fired };
}

/** What a read returns. */
export interface ReadResult {
  readonly tree: DataTree;
  readonly errorCode: ZkErrorCode;
  readonly stat?: ZkStat;
  readonly data?: unknown;
  readonly children?: readonly string[];
}

/**
 * getData, exists and getChildren (`FinalRequestProcessor`), with a watch when asked: getData and getChildren
 * set one only on a node that exists (they fail with NONODE otherwise); exists sets one either way, so that the
 * node's creation fires it.
 */
export function read(tree: DataTree, kind: 'getData' | 'exists' | 'getChildren', path: string, watch: { sessionId: number } | null): ReadResult {
  if (!validPath(path)) return { tree, errorCode: 'BADARGUMENTS' };
  const node = Object.hasOwn(tree.nodes, path) ? tree.nodes[path] : undefined;
  const watched = (set: 'data' | 'child'): DataTree => {
    if (watch === null) return tree;
    const current = tree.watches[set][path] ?? [];
    if (current.includes(watch.sessionId)) return tree;
    return { ...tree, watches: { ...tree.watches, [set]: { ...tree.watches[set], [path]: [...current, watch.sessionId] } } };
  };
  if (node === undefined) return { tree: kind === 'exists' ? watched('data') : tree, errorCode: 'NONODE' };
  if (kind === 'getChildren') return { tree: watched('child'), errorCode: 'OK', stat: node.stat, children: node.children };
  return kind === 'getData' ? { tree: watched('data'), errorCode: 'OK', stat: node.stat, data: node.data } : { tree: watched('data'), errorCode: 'OK', stat: node.stat };
}

/** The ephemeral znodes a session owns, deepest first (the order a closeSession deletes them in). */
export function ephemeralsOf(tree: DataTree, sessionId: number): string[] {
  return Object.keys(tree.nodes)
    .filter((path) => tree.nodes[path]?.stat.ephemeralOwner === sessionId)
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** Drops every watch a session set (its session closed or expired). */
export function withoutWatchesOf(tree: DataTree, sessionId: number): DataTree {
  const prune = (set: Readonly<Record<string, readonly number[]>>) => {
    const next: Record<string, readonly number[]> = {};
    for (const [path, sessions] of Object.entries(set)) {
      const rest = sessions.filter((id) => id !== sessionId);
      if (rest.length > 0) next[path] = rest;
    }
    return next;
  };
  return { ...tree, watches: { data: prune(tree.watches.data), child: prune(tree.watches.child) } };
}
