/** Stops the consumer at the step that broke an invariant it relies on; a failure here is a bug, not a protocol error. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`consumer invariant broken: ${message}`);
}
