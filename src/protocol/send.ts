import type { HostEmitted } from '../kernel/NodeHost.ts';
import type { Message } from '../kernel/Bus.ts';
import type { KafkaMessage } from './messages.ts';

/**
 * The event a Kafka role emits to send `message` to the node `to` (the machine contract's `send`). Kafka's
 * message interfaces are closed types; the bus takes any JSON object with a `type`, which each of them is.
 */
export function send(to: string, message: KafkaMessage): HostEmitted {
  return { type: 'send', to, message: message as unknown as Message };
}
