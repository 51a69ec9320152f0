import type { ZkCall } from '../../../actors/zookeeper/zkClient.ts';
import { bootServer, connect, handleRequest, type ZkServerState } from '../../../actors/zookeeper/zookeeperServer.ts';
import type { ZkConnectResponse, ZkResponse } from '../../../src/protocol/zookeeperMessages.ts';

/** A ZooKeeper server (its own rules, no World) with one session of `client`, asked one call at a time at time 0. */
export function zkSession(client = 'broker-1'): { readonly tree: () => ZkServerState['tree']; readonly ask: (call: ZkCall) => ZkResponse } {
  let zk = bootServer(undefined, 0);
  const opened = connect(zk, client, { type: 'zk.connect.request', sessionTimeoutMs: 18_000 }, 0);
  zk = opened.state;
  const sessionId = (opened.out[0]?.message as ZkConnectResponse).sessionId;
  let xid = 1;
  const ask = (call: ZkCall): ZkResponse => {
    const step = handleRequest(zk, client, { ...call, sessionId, xid: xid++ } as never, 0);
    zk = step.state;
    return step.out.map((o) => o.message).find((m): m is ZkResponse => m.type === 'zk.response') as ZkResponse;
  };
  return { tree: () => zk.tree, ask };
}
