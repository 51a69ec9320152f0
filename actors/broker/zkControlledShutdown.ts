import type { ControlledShutdownResponse } from '../../src/protocol/controlRequests.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { exitCleanly } from './brokerLifecycle.ts';
import { closeZooKeeperSession, controllerNodeOf } from './zkBroker.ts';

// A ZooKeeper-mode broker's controlled shutdown (Kafka 3.9 `KafkaServer#controlledShutdown`): a broker that has
// finished starting (registered) asks the controller to move its leaderships away before it stops. Each attempt
// sends a ControlledShutdownRequest to the broker `/controller` names, on a connection of its own, and waits for the
// answer up to controller.socket.timeout.ms; an answer with an error or with partitions still led here, a broken
// connection or no controller known makes the attempt fail, and the next one goes after
// controlled.shutdown.retry.backoff.ms. After controlled.shutdown.max.retries attempts the broker stops anyway. It
// stops by closing its ZooKeeper session (its `/brokers/ids` znode goes at once, and the controller takes the
// broker off) with every log flushed. A broker not registered yet has nothing to hand over and stops at once.
// While it asks, the broker serves as before: the controller's LeaderAndIsr requests make it a follower. Each
// attempt's outcome is a note (`{ zookeeper: 'shutdown' }`), on the run's timeline.

const SHUTDOWN_TIMER_ID = 'broker.zkShutdown';

/** The operator stops a ZooKeeper-mode broker. */
export function beginZkControlledShutdown(state: BrokerState, out: BrokerEffect[]): BrokerState {
  if (state.shutdown !== null) return state;
  if (state.brokerEpoch < 0) return stop(state, out);
  return attempt({ ...state, shutdown: { phase: 'asking', remainingRetries: state.config.controlledShutdownMaxRetries, correlationId: null } }, out);
}

/** The controller's answer: the broker stops once nothing is left to move; otherwise it tries again later. */
export function onControlledShutdownResponse(state: BrokerState, response: ControlledShutdownResponse, out: BrokerEffect[]): BrokerState {
  const shutdown = state.shutdown;
  if (shutdown?.phase !== 'asking' || shutdown.correlationId !== response.correlationId) return state;
  out.push({ kind: 'cancel', id: SHUTDOWN_TIMER_ID });
  const remaining = response.remainingPartitions.length;
  const outcome = response.errorCode ?? (remaining === 0 ? 'done' : 'partitions left');
  noteAttempt(state, outcome, out, response.errorCode === undefined ? remaining : undefined);
  if (outcome === 'done') return stop(state, out);
  return failed(state, out);
}

/** The answer did not come within controller.socket.timeout.ms. */
export function onControlledShutdownTimeout(state: BrokerState, correlationId: number, out: BrokerEffect[]): BrokerState {
  const shutdown = state.shutdown;
  if (shutdown?.phase !== 'asking' || shutdown.correlationId !== correlationId) return state;
  noteAttempt(state, 'no answer', out);
  return failed(state, out);
}

/** The backoff after a failed attempt passed: the next attempt. */
export function onControlledShutdownRetry(state: BrokerState, out: BrokerEffect[]): BrokerState {
  return state.shutdown?.phase === 'asking' && state.shutdown.correlationId === null ? attempt(state, out) : state;
}

/** The connection to the controller broke while an attempt waited for its answer (an IOException in Kafka). */
export function onControlledShutdownConnectionReset(state: BrokerState, out: BrokerEffect[]): BrokerState {
  if (state.shutdown?.phase !== 'asking' || state.shutdown.correlationId === null) return state;
  out.push({ kind: 'cancel', id: SHUTDOWN_TIMER_ID });
  noteAttempt(state, 'connection lost', out);
  return failed(state, out);
}

function attempt(state: BrokerState, out: BrokerEffect[]): BrokerState {
  if (state.shutdown?.phase !== 'asking') return state;
  const remainingRetries = state.shutdown.remainingRetries - 1;
  const controller = controllerNodeOf(state);
  if (controller === null) {
    const waiting: BrokerState = { ...state, shutdown: { phase: 'asking', remainingRetries, correlationId: null } };
    noteAttempt(waiting, 'no controller', out);
    return failed(waiting, out);
  }
  // One id per attempt: the attempt's number, from 1.
  const correlationId = state.config.controlledShutdownMaxRetries - remainingRetries;
  out.push({ kind: 'send', to: controller, message: { type: 'controlledShutdown.request', correlationId, brokerId: state.brokerId, brokerEpoch: state.brokerEpoch } });
  out.push({ kind: 'timer', id: SHUTDOWN_TIMER_ID, delayMs: state.config.alterPartitionTimeoutMs, event: { type: 'zk.shutdownTimeout', correlationId } });
  return { ...state, shutdown: { phase: 'asking', remainingRetries, correlationId } };
}

// An attempt that did not let the broker go: another after the backoff, or, with none left, the broker stops anyway.
function failed(state: BrokerState, out: BrokerEffect[]): BrokerState {
  if (state.shutdown?.phase !== 'asking') return state;
  const { remainingRetries } = state.shutdown;
  if (remainingRetries <= 0) return stop(state, out);
  out.push({ kind: 'timer', id: SHUTDOWN_TIMER_ID, delayMs: state.config.controlledShutdownRetryBackoffMs, event: { type: 'zk.shutdownRetry' } });
  return { ...state, shutdown: { phase: 'asking', remainingRetries, correlationId: null } };
}

// One attempt's outcome, for the run's timeline: its number, and what came of it.
function noteAttempt(state: BrokerState, outcome: string, out: BrokerEffect[], remaining?: number): void {
  if (state.shutdown?.phase !== 'asking') return;
  const attempt = state.config.controlledShutdownMaxRetries - state.shutdown.remainingRetries;
  const last = outcome !== 'done' && state.shutdown.remainingRetries <= 0;
  out.push({ kind: 'note', data: { zookeeper: 'shutdown', broker: state.brokerId, attempt, outcome, ...(remaining === undefined ? {} : { remaining }), ...(last ? { last } : {}) } });
}

function stop(state: BrokerState, out: BrokerEffect[]): BrokerState {
  closeZooKeeperSession(state, out);
  return exitCleanly(state, out);
}
