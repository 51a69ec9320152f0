import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { expireFetch, tryCompleteFetch } from './delayedFetch.ts';
import { expireProduce, tryCompleteProduce } from './delayedProduce.ts';
import { operationOf, watchersOf } from './purgatory.ts';

// Runs the purgatory's rules (DelayedOperationPurgatory.checkAndComplete): when a partition changes (an append, a
// HW move, an ISR change, a leadership change), every operation watching it is tried, oldest first; when an
// operation's timer fires, it expires.

/** Tries every delayed operation watching `key`. */
export function checkPurgatory(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  const ids = watchersOf(state.purgatory, key);
  let next = state;
  for (const id of ids) {
    const operation = operationOf(next.purgatory, id);
    if (operation === undefined) continue;
    next = operation.kind === 'produce' ? tryCompleteProduce(next, id, out, key) : tryCompleteFetch(next, id, out, key);
  }
  return next;
}

/** An operation's timeout: it completes with what it has (REQUEST_TIMED_OUT for produces, the data there is for fetches). */
export function onPurgatoryExpire(state: BrokerState, id: string, out: BrokerEffect[]): BrokerState {
  const operation = operationOf(state.purgatory, id);
  if (operation === undefined) return state;
  return operation.kind === 'produce' ? expireProduce(state, id, out) : expireFetch(state, id, out);
}
