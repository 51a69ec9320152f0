import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { expireFetch } from './delayedFetch.ts';
import { expireProduce } from './delayedProduce.ts';
import { dueOperations, nextExpiryMs, operationOf, watch, type DelayedOperation } from './purgatory.ts';

// The purgatory's one expiry timer (Kafka's purgatory keeps a timing wheel): it is set for the earliest expiry when
// an operation parks with an earlier expiry than the timer's, and when it fires every operation whose time has come
// expires, oldest first, and the timer is set for the next. An operation completed early leaves it as it is: the
// timer finds nothing due, and moves on.

const TIMER_ID = 'purgatory.expiry';

/** Parks an operation under its partitions, with the expiry timer set no later than its expiry. */
export function park(state: BrokerState, id: string, operation: DelayedOperation, nowMs: number, out: BrokerEffect[]): BrokerState {
  const purgatory = watch(state.purgatory, id, operation);
  return { ...state, purgatory: armExpiry(purgatory, operation.expiresAtMs, nowMs, out) };
}

/** The expiry timer fired: what is due expires, and the timer is set for the next expiry. */
export function onPurgatoryExpiry(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  let next: BrokerState = { ...state, purgatory: { ...state.purgatory, timerAtMs: null } };
  for (const id of dueOperations(next.purgatory, nowMs)) {
    const operation = operationOf(next.purgatory, id);
    if (operation === undefined) continue;
    next = operation.kind === 'produce' ? expireProduce(next, id, out) : expireFetch(next, id, out);
  }
  const earliest = nextExpiryMs(next.purgatory);
  return earliest === null ? next : { ...next, purgatory: armExpiry(next.purgatory, earliest, nowMs, out) };
}

function armExpiry(purgatory: BrokerState['purgatory'], atMs: number, nowMs: number, out: BrokerEffect[]): BrokerState['purgatory'] {
  if (purgatory.timerAtMs !== null && purgatory.timerAtMs <= atMs) return purgatory;
  out.push({ kind: 'timer', id: TIMER_ID, delayMs: Math.max(0, atMs - nowMs), event: { type: 'purgatory.expire' } });
  return { ...purgatory, timerAtMs: atMs };
}
