import { enqueueActions, setup } from 'xstate';
import type { ConnectionResetMessage } from '../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type { ZkConnectRequest, ZkRequest } from '../../src/protocol/zookeeperMessages.ts';
import { bootServer, connect, expireSessions, handleRequest, nextExpiryMs, serverDisk, type ZkDisk, type ZkServerState, type ZkStep } from './zookeeperServer.ts';

/**
 * The server's input: the host's own (its disk is a ZkDisk once it has written one), and the data it starts with on
 * its first boot (the znodes an operator created before the brokers started; absent: an empty tree).
 */
export type ZookeeperInput = NodeInput & { initialDisk?: ZkDisk };

/** What the server reacts to: the client protocol's requests, closed connections, and its expiry timer. */
export type ZookeeperEvent =
  | (ZkConnectRequest & { from: string })
  | (ZkRequest & { from: string })
  | (ConnectionResetMessage & { from: string })
  | { type: 'zk.expire' };

interface ZookeeperContext {
  server: ZkServerState;
  now: () => number;
  /** When the expiry timer is set to fire, or null. */
  expiryAtMs: number | null;
}

const EXPIRY_TIMER_ID = 'zk.expire';

/**
 * A standalone ZooKeeper server under the machine contract: every event runs one pure step (zookeeperServer.ts);
 * a step that wrote a transaction persists the server with fsync before its replies go out, as the transaction log
 * is synced before `FinalRequestProcessor` answers; one timer fires at the earliest session expiry. A closed
 * connection does not end a session: it expires unless its client reconnects in time (`zk.connect.request` with
 * its session id). A restart boots from the disk with every session given its timeout again, and no watches: the
 * clients set them again when they reconnect (SetWatches, in the connect request).
 */
export const zookeeperMachine = setup({
  types: {
    input: {} as ZookeeperInput,
    context: {} as ZookeeperContext,
    events: {} as ZookeeperEvent,
    emitted: {} as HostEmitted,
  },
  actions: {
    step: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'connection.reset') return;
      const nowMs = context.now();
      // Boot (the entry action's init event) and the timer only look for sessions that expired.
      const ticks = event.type === 'zk.expire' || !('from' in event);
      let step: ZkStep;
      // The timer fires at the expiry it was set for: a clock that reached it by adding a float delay may sit one ulp
      // short of it, and the session must expire then all the same (else the timer would fire again at once, forever).
      if (ticks) step = expireSessions(context.server, Math.max(nowMs, context.expiryAtMs ?? nowMs));
      else if (event.type === 'zk.connect.request') step = connect(context.server, event.from, event, nowMs);
      else step = handleRequest(context.server, event.from, event, nowMs);
      const expiry = nextExpiryMs(step.state);
      enqueue.assign({ server: step.state, expiryAtMs: expiry });
      if (step.durable) enqueue.emit({ type: 'persist', data: serverDisk(step.state), fsync: true });
      for (const { to, message } of step.out) enqueue.emit({ type: 'send', to, message: { ...message } });
      if (expiry === context.expiryAtMs && !ticks) return;
      enqueue.cancel(EXPIRY_TIMER_ID);
      if (expiry !== null) enqueue.raise({ type: 'zk.expire' }, { id: EXPIRY_TIMER_ID, delay: Math.max(0, expiry - nowMs) });
    }),
  },
}).createMachine({
  id: 'zookeeper',
  context: ({ input }) => ({ server: bootServer((input.disk as ZkDisk | undefined) ?? input.initialDisk, input.now()), now: input.now, expiryAtMs: null }),
  entry: 'step',
  on: {
    'zk.connect.request': { actions: 'step' },
    'zk.ping.request': { actions: 'step' },
    'zk.close.request': { actions: 'step' },
    'zk.create.request': { actions: 'step' },
    'zk.setData.request': { actions: 'step' },
    'zk.delete.request': { actions: 'step' },
    'zk.getData.request': { actions: 'step' },
    'zk.exists.request': { actions: 'step' },
    'zk.getChildren.request': { actions: 'step' },
    'zk.multi.request': { actions: 'step' },
    'connection.reset': { actions: 'step' },
    'zk.expire': { actions: 'step' },
  },
});
