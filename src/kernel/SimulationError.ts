import type { Seed } from './Rng.ts';

/** Where and when a run failed: the node, the event it was handling, the virtual time and the seed. */
export interface SimulationFailure {
  nodeId: string;
  eventType: string;
  timeMs: number;
  seed: Seed;
}

/**
 * A run stopped because a node's machine threw (in an action, a guard, an emit handler) or broke the
 * machine contract. The run stops at the step that failed; replaying the seed reaches the same step.
 */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  readonly nodeId: string;
  readonly eventType: string;
  readonly timeMs: number;
  readonly seed: Seed;

  constructor(failure: SimulationFailure, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `node "${failure.nodeId}" failed handling "${failure.eventType}" at ${failure.timeMs} ms (seed ${JSON.stringify(failure.seed)}): ${reason}`,
      { cause },
    );
    this.nodeId = failure.nodeId;
    this.eventType = failure.eventType;
    this.timeMs = failure.timeMs;
    this.seed = failure.seed;
  }
}
