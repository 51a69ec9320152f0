/** Stops a client at the step that broke an invariant its network layer relies on; a failure here is a bug, not a protocol error. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`client invariant broken: ${message}`);
}
