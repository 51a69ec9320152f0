// ZooKeeper's client protocol as the simulator's messages (the requests of `org.apache.zookeeper.ZooKeeper`, the
// replies of `FinalRequestProcessor`, the notifications of `WatchManager`), used by the ZooKeeper node and by the
// brokers of a ZooKeeper-mode cluster. Every request after the handshake carries the client's session id and its
// `xid` (RequestHeader.xid), which the reply echoes. Data is any JSON value (Kafka stores JSON in its znodes).

/** The node id of the (single) ZooKeeper server. */
export const ZOOKEEPER_NODE_ID = 'zookeeper';

/** `KeeperException.Code` names the simulator uses. */
export type ZkErrorCode =
  | 'OK'
  | 'NONODE'
  | 'NODEEXISTS'
  | 'BADVERSION'
  | 'NOTEMPTY'
  | 'NOCHILDRENFOREPHEMERALS'
  | 'BADARGUMENTS'
  | 'SESSIONEXPIRED'
  | 'RUNTIMEINCONSISTENCY'
  /** Client side only: the connection broke with the request unanswered (it may have been applied). */
  | 'CONNECTIONLOSS';

/** A znode's `Stat` (times in virtual ms). */
export interface ZkStat {
  /** The zxid of the create (Kafka's broker epoch in ZooKeeper mode is its registration's czxid). */
  readonly czxid: number;
  /** The zxid of the last setData (or the create). */
  readonly mzxid: number;
  /** The zxid of the last change to the children. */
  readonly pzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  /** The data version (Kafka's `zkVersion`): 0 at create, +1 per setData. */
  readonly version: number;
  /** The children version: +1 per child created or deleted. */
  readonly cversion: number;
  /** The owning session of an ephemeral node, 0 for a persistent one. */
  readonly ephemeralOwner: number;
  readonly numChildren: number;
}

/** The kinds of watch notification (`Watcher.Event.EventType`). */
export type ZkWatchEventType = 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged';

/** Watches a reconnecting client re-registers (the client's SetWatches, sent with the zxid it last saw). */
export interface ZkWatchSet {
  readonly relativeZxid: number;
  readonly data: readonly string[];
  readonly exist: readonly string[];
  readonly child: readonly string[];
}

/** A new session (no `sessionId`) or a reconnect of an existing one (ConnectRequest). */
export interface ZkConnectRequest {
  readonly type: 'zk.connect.request';
  readonly sessionTimeoutMs: number;
  readonly sessionId?: number;
  readonly watches?: ZkWatchSet;
}

/** ConnectResponse: the session, or SESSIONEXPIRED for a reconnect of a session the server no longer has. */
export interface ZkConnectResponse {
  readonly type: 'zk.connect.response';
  readonly errorCode: 'OK' | 'SESSIONEXPIRED';
  readonly sessionId: number;
  /** The timeout the server granted, within [2, 20] ticks (`ZooKeeperServer#processConnectRequest`). */
  readonly sessionTimeoutMs: number;
}

/** One operation of a multi (also sent alone, as its own request type). */
export type ZkOp =
  | { readonly op: 'create'; readonly path: string; readonly data: unknown; readonly ephemeral: boolean }
  | { readonly op: 'setData'; readonly path: string; readonly data: unknown; readonly version: number }
  | { readonly op: 'delete'; readonly path: string; readonly version: number }
  | { readonly op: 'check'; readonly path: string; readonly version: number };

interface ZkRequestHeader {
  readonly sessionId: number;
  readonly xid: number;
}

/** Requests on a session. `version` -1 matches any version, as in ZooKeeper. */
export type ZkRequest =
  | (ZkRequestHeader & { readonly type: 'zk.ping.request' })
  | (ZkRequestHeader & { readonly type: 'zk.close.request' })
  | (ZkRequestHeader & { readonly type: 'zk.create.request'; readonly path: string; readonly data: unknown; readonly ephemeral: boolean })
  | (ZkRequestHeader & { readonly type: 'zk.setData.request'; readonly path: string; readonly data: unknown; readonly version: number })
  | (ZkRequestHeader & { readonly type: 'zk.delete.request'; readonly path: string; readonly version: number })
  | (ZkRequestHeader & { readonly type: 'zk.getData.request'; readonly path: string; readonly watch: boolean })
  | (ZkRequestHeader & { readonly type: 'zk.exists.request'; readonly path: string; readonly watch: boolean })
  | (ZkRequestHeader & { readonly type: 'zk.getChildren.request'; readonly path: string; readonly watch: boolean })
  | (ZkRequestHeader & { readonly type: 'zk.multi.request'; readonly ops: readonly ZkOp[] });

/** The reply to a request on a session: its error and what the operation returns. */
export interface ZkResponse {
  readonly type: 'zk.response';
  readonly xid: number;
  /** The zxid of the server's state when it answered (ReplyHeader.zxid). */
  readonly zxid: number;
  readonly errorCode: ZkErrorCode;
  readonly stat?: ZkStat;
  readonly data?: unknown;
  readonly children?: readonly string[];
  /** A multi's result per op: OK before the op that failed, its error, RUNTIMEINCONSISTENCY after it. */
  readonly results?: ReadonlyArray<{ readonly errorCode: ZkErrorCode; readonly stat?: ZkStat }>;
}

/** A watch fired (WatcherEvent): one-shot, sent to the session that set it. */
export interface ZkWatchEvent {
  readonly type: 'zk.watch.event';
  readonly sessionId: number;
  readonly event: ZkWatchEventType;
  readonly path: string;
}
