import type { BrokerHeartbeatRequest, BrokerHeartbeatResponse, BrokerRegisterRequest } from '../../src/protocol/messages.ts';
import { CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { flush } from './partitionLog.ts';

// The broker's side of its lifecycle with the controller (Kafka's BrokerLifecycleManager): registration,
// heartbeats, and the controlled shutdown an operator's stop starts (BrokerServer#shutdown). A broker asked to
// stop heartbeats with wantShutDown until the controller has moved its leaderships away and lets it go
// (shouldShutDown), or until the shutdown times out; then it flushes every log, leaves its clean-shutdown file
// (the broker epoch it had, KIP-966) and exits. Its next incarnation registers with that epoch as
// PreviousBrokerEpoch, so the controller knows it lost nothing.

/** How long a controlled shutdown may wait for the controller: BrokerServer#shutdown's default, 5 minutes. */
export const CONTROLLED_SHUTDOWN_TIMEOUT_MS = 300_000;

/** After the first answer in controlled shutdown, the next heartbeat goes this soon (BrokerLifecycleManager). */
const FIRST_SHUTDOWN_HEARTBEAT_DELAY_MS = 50;

/** The BrokerRegistration request: PreviousBrokerEpoch only after a clean shutdown. */
export function registrationRequest(state: BrokerState): BrokerRegisterRequest {
  const previous = state.previousBrokerEpoch >= 0 ? { previousBrokerEpoch: state.previousBrokerEpoch } : {};
  return { type: 'broker.register', brokerId: state.brokerId, incarnationId: state.incarnationId, ...previous };
}

/** The BrokerHeartbeat request: wantShutDown while a controlled shutdown is pending. */
export function heartbeatRequest(state: BrokerState): BrokerHeartbeatRequest {
  const wantShutDown = state.shutdown?.phase === 'pending' ? { wantShutDown: true } : {};
  return {
    type: 'broker.heartbeat',
    brokerId: state.brokerId,
    brokerEpoch: state.brokerEpoch,
    currentMetadataOffset: state.image.offset,
    wantFence: false,
    ...wantShutDown,
  };
}

/**
 * The operator stops the broker (BeginControlledShutdownEvent). A registered broker asks the controller at once,
 * and gives up after CONTROLLED_SHUTDOWN_TIMEOUT_MS; one that is not registered yet has nothing to hand over and
 * exits now. (A ZooKeeper-mode broker's controlled shutdown is zkControlledShutdown.ts.)
 */
export function beginControlledShutdown(state: BrokerState, out: BrokerEffect[]): BrokerState {
  if (state.shutdown !== null) return state;
  if (state.brokerEpoch < 0) return exitCleanly(state, out);
  const next: BrokerState = { ...state, shutdown: { phase: 'pending', gotResponse: false } };
  out.push({ kind: 'send', to: CONTROLLER_NODE_ID, message: heartbeatRequest(next) });
  out.push({ kind: 'timer', id: 'broker.shutdownTimeout', delayMs: CONTROLLED_SHUTDOWN_TIMEOUT_MS, event: { type: 'shutdown.timeout' } });
  return next;
}

/**
 * A heartbeat answer during a controlled shutdown: go when the controller says so; after its first answer, ask
 * again 50 ms later (the leaderships often move that fast), then at the usual interval.
 */
export function onShutdownHeartbeatResponse(state: BrokerState, response: BrokerHeartbeatResponse, out: BrokerEffect[]): BrokerState {
  if (state.shutdown?.phase !== 'pending') return state;
  if (response.shouldShutDown === true) return exitCleanly(state, out);
  if (state.shutdown.gotResponse) return state;
  out.push({ kind: 'timer', id: 'broker.shutdownHeartbeat', delayMs: FIRST_SHUTDOWN_HEARTBEAT_DELAY_MS, event: { type: 'shutdown.heartbeat' } });
  return { ...state, shutdown: { phase: 'pending', gotResponse: true } };
}

/** The 50 ms heartbeat of a controlled shutdown. */
export function onShutdownHeartbeatTimer(state: BrokerState, out: BrokerEffect[]): BrokerState {
  if (state.shutdown?.phase === 'pending' && state.brokerEpoch >= 0) out.push({ kind: 'send', to: CONTROLLER_NODE_ID, message: heartbeatRequest(state) });
  return state;
}

/** The controller did not let the broker go in time: it stops anyway (its logs are still flushed). */
export function onShutdownTimeout(state: BrokerState, out: BrokerEffect[]): BrokerState {
  return state.shutdown?.phase === 'pending' ? exitCleanly(state, out) : state;
}

/** LogManager#shutdown flushes every log and writes the clean-shutdown file; then the process exits. */
export function exitCleanly(state: BrokerState, out: BrokerEffect[]): BrokerState {
  const partitions = Object.fromEntries(Object.entries(state.partitions).map(([key, replica]) => [key, { ...replica, log: flush(replica.log) }]));
  out.push({ kind: 'persist', fsync: true });
  out.push({ kind: 'exit' });
  return { ...state, partitions, shutdown: { phase: 'done' } };
}
