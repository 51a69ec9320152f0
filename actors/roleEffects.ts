// How a role's machine carries out the effects its pure rules return (the broker and the group consumer follow
// the same pattern: rules push effects, the machine turns them into emitted and delayed events). A timer is
// cancelled before it is set again, since XState keeps a pending delayed event when another is scheduled under
// the same id. Persisting is each role's own business (what it keeps on disk differs), so it is left to them.
import type { HostEmitted } from '../src/kernel/NodeHost.ts';
import type { KafkaMessage } from '../src/protocol/messages.ts';
import { send } from '../src/protocol/send.ts';

/** The effects every role shares, for its timer events `E`. */
export type RoleEffect<E> =
  | { kind: 'send'; to: string; message: { type: string } }
  | { kind: 'timer'; id: string; delayMs: number; event: E }
  | { kind: 'cancel'; id: string }
  | { kind: 'note'; data: unknown }
  | { kind: 'disconnect'; to: string };

/** The part of XState's `enqueue` the effects need. */
export interface EffectQueue<E> {
  emit(event: HostEmitted): void;
  cancel(id: string): void;
  raise(event: E, options: { id: string; delay: number }): void;
}

/** Carries out one shared effect. */
export function enqueueRoleEffect<E>(enqueue: EffectQueue<E>, effect: RoleEffect<E>): void {
  switch (effect.kind) {
    case 'send':
      enqueue.emit(send(effect.to, effect.message as KafkaMessage));
      break;
    case 'timer':
      enqueue.cancel(effect.id);
      enqueue.raise(effect.event, { id: effect.id, delay: effect.delayMs });
      break;
    case 'cancel':
      enqueue.cancel(effect.id);
      break;
    case 'note':
      enqueue.emit({ type: 'note', data: effect.data });
      break;
    case 'disconnect':
      enqueue.emit({ type: 'disconnect', to: effect.to });
      break;
  }
}
