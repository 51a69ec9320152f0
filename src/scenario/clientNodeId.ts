/** The client roles a scenario declares, by the scenario field that lists them. */
export type ClientRole = 'producer' | 'reader' | 'consumer' | 'app';

/** A client's World node id: its own, or `producer-1`, `reader-2`, `app-1`, ... by its place in the scenario's list. */
export function clientNodeId(role: ClientRole, spec: { id?: unknown }, index: number): string {
  return typeof spec.id === 'string' ? spec.id : `${role}-${index + 1}`;
}
