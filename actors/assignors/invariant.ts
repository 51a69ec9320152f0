/** Stops the assignor at the step that broke an invariant it relies on; a failure here is a bug in the assignor. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`assignor invariant broken: ${message}`);
}
