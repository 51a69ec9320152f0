/**
 * Java's `String.compareTo`: UTF-16 code-unit order, so `"consumer-10" < "consumer-2"` and `"Z" < "a"`.
 * Kafka's assignors sort member ids and topics this way.
 */
export function compareJavaStrings(a: string, b: string): number {
  // JavaScript's relational operators compare strings code unit by code unit, exactly as Java does;
  // localeCompare would apply collation rules and disagree with Kafka.
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
