/**
 * The error a public API throws on misuse: it names the call, the argument, the value it got and what is
 * allowed, e.g. `world.crash: node must be a known node id (broker-1, broker-2), got "broker-9"`.
 */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';

  constructor(
    readonly where: string,
    readonly argument: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${where}: ${argument} must be ${allowed}, got ${describeValue(value)}`);
  }
}

/** A short, unambiguous rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is a finite number >= `min`. */
export function requireNumberAtLeast(where: string, argument: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ArgumentError(where, argument, value, `a finite number >= ${min}`);
  }
  return value;
}

/** Throws unless `value` is a probability in [0, 1]. */
export function requireProbability(where: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ArgumentError(where, argument, value, 'a probability between 0 and 1');
  }
  return value;
}
