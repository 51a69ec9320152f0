// How the simulated cluster names its nodes in the World. Kafka identifies a broker by a number (broker.id);
// the World addresses nodes by string. Every role and the scenario builder go through these two functions, so
// the convention lives in one place.

/** The World node id of the KRaft controller (the simulator runs one active controller). */
export const CONTROLLER_NODE_ID = 'controller';

/** The World node id of broker `brokerId`: `broker-1`. */
export function brokerNodeId(brokerId: number): string {
  return `broker-${brokerId}`;
}

/** The broker id behind a World node id, or undefined when the node is not a broker. */
export function brokerIdOf(nodeId: string): number | undefined {
  if (!nodeId.startsWith('broker-')) return undefined;
  const id = Number(nodeId.slice('broker-'.length));
  return Number.isInteger(id) && id >= 0 ? id : undefined;
}

/**
 * The peer a broker sees for one connection of a real client (a socket its wire gateway accepted): `app-1#3`.
 * Kafka's broker serves each connection on its own (SocketServer mutes one connection, not the client), and a real
 * client may open several to one broker; the simulator's own clients are one peer each, by node id.
 */
export function connectionPeerId(nodeId: string, socket: number): string {
  return `${nodeId}#${socket}`;
}

/** Whether a peer is one connection of a real client (connectionPeerId) rather than a node. */
export function isConnectionPeer(peer: string): boolean {
  return peer.includes('#');
}
