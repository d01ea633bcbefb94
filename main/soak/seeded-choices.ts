/**
 * The soak's random choices, replayable from one seed: the n-th draw is a pure function of
 * `(seed, n)` (the catalog's counter-based generator), so the same seed makes the same sequence of
 * choices. Timing is not replayed: which unit a kill lands on still depends on the machine.
 */
import { uniformAt } from '../../tasks/seeded-random'

/** Seeds are 32-bit unsigned integers. */
export const MAX_SEED = 0xffff_ffff

export class SeededChoices {
  #draws = 0

  constructor(readonly seed: number) {}

  /** Uniform in (0, 1). */
  next(): number {
    return uniformAt(this.seed, this.#draws++)
  }

  /** An integer in `[min, max]`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }
}
