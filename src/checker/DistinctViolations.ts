// The violations of one invariant, each counted once however many samples show it: a log divergence stays in
// place until someone truncates it, so a run that samples every few hundred ms would otherwise report it
// hundreds of times. The caller names what makes a violation distinct (partition, offset, values...).
import { MAX_EXAMPLES } from './CheckResult.ts';

/** Distinct violations of one invariant: how many, and the first MAX_EXAMPLES of them. */
export class DistinctViolations {
  private readonly seen = new Set<string>();
  private readonly kept: unknown[] = [];

  /** How many distinct violations were recorded. */
  get count(): number {
    return this.seen.size;
  }

  /** The first MAX_EXAMPLES violations, in the order seen. */
  get examples(): unknown[] {
    return [...this.kept];
  }

  /** Records a violation unless one with the same `id` was recorded before; `example` is built only if new. */
  add(id: string, example: () => unknown): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (this.kept.length < MAX_EXAMPLES) this.kept.push(example());
  }
}
