import type { HostEmitted } from '../kernel/NodeHost.ts';
import type { Message } from '../kernel/Bus.ts';
import type { GroupMessage } from './groupMessages.ts';
import type { KafkaMessage } from './messages.ts';

/** What a Kafka client sends and receives: the requests and responses of messages.ts and groupMessages.ts. */
export type ClientMessage = KafkaMessage | GroupMessage;

/**
 * The event a Kafka role emits to send `message` to the node `to` (the machine contract's `send`). Kafka's
 * message interfaces are closed types; the bus takes any JSON object with a `type`, which each of them is.
 */
export function send(to: string, message: ClientMessage): HostEmitted {
  return { type: 'send', to, message: message as unknown as Message };
}
