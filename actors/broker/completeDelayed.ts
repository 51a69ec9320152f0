import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { tryCompleteFetch } from './delayedFetch.ts';
import { tryCompleteProduce } from './delayedProduce.ts';
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
