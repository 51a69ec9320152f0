/**
 * Stops the run at the step that broke something the broker's rules rely on. A failure here is a bug in the
 * caller (a machine passing impossible data) or in these rules, never a protocol outcome: those are returned
 * as Kafka error names.
 */
export function brokerInvariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`broker invariant broken: ${message}`);
}
