/**
 * The lock of a thread-backend shared value or array: three `Int32Array` cells in shared memory,
 * used by the parent thread and every worker thread alike.
 *
 * The lock cell follows the classic futex mutex (Drepper, "Futexes Are Tricky", mutex #2): 0 free,
 * 1 held, 2 held with possible sleepers, so an uncontended acquire and release are one atomic
 * operation each and only a contended release pays for a wake-up. Sleeping uses
 * `Atomics.waitAsync` rather than `Atomics.wait`: a blocked thread would stop answering its
 * messages (and the parent's event loop would freeze), while `waitAsync` parks only this call.
 *
 * Like Python's shared-memory locks, it is not released if its holder thread is terminated
 * holding it; the process backend's `FifoLock` is.
 */
import { LockNotHeldError } from '../core/errors'
import type { LockStats } from '../core/primitive-stats'

/**
 * `Atomics.waitAsync` exists in every Node this project supports (≥ 20) but entered the
 * TypeScript libs only with ES2024, one past the target this project compiles for.
 */
const atomics = Atomics as unknown as {
  waitAsync(cells: Int32Array, index: number, value: number, timeoutMs?: number): { async: boolean; value: Promise<string> | string }
}

const FREE = 0
const HELD = 1
const CONTENDED = 2

/** A futex-style mutex in shared memory, usable from any thread that holds the memory. */
export class AtomicsLock {
  /** Cells it occupies from `offset`: the lock word, then the acquire and contention counters. */
  static readonly CELLS = 3
  readonly #cells: Int32Array
  readonly #word: number

  constructor(cells: Int32Array, offset = 0) {
    this.#cells = cells
    this.#word = offset
  }

  async acquire(timeoutMs?: number): Promise<boolean> {
    const cells = this.#cells
    let state = Atomics.compareExchange(cells, this.#word, FREE, HELD)
    if (state === FREE) {
      Atomics.add(cells, this.#word + 1, 1)
      return true
    }
    Atomics.add(cells, this.#word + 2, 1)
    const deadline = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs
    // Mark the lock contended before sleeping, so its holder knows to wake someone.
    if (state !== CONTENDED) state = Atomics.exchange(cells, this.#word, CONTENDED)
    while (state !== FREE) {
      const leftMs = deadline - performance.now()
      if (leftMs <= 0) return false
      const wait = atomics.waitAsync(cells, this.#word, CONTENDED, leftMs === Infinity ? undefined : leftMs)
      if (wait.async) await wait.value
      state = Atomics.exchange(cells, this.#word, CONTENDED)
    }
    Atomics.add(cells, this.#word + 1, 1)
    return true
  }

  release(): void {
    const previous = Atomics.exchange(this.#cells, this.#word, FREE)
    if (previous === FREE) throw new LockNotHeldError()
    if (previous === CONTENDED) Atomics.notify(this.#cells, this.#word, 1)
  }

  stats(): LockStats {
    return {
      isLocked: Atomics.load(this.#cells, this.#word) !== FREE,
      // Counters wrap at 2^32; read them unsigned.
      acquires: Atomics.load(this.#cells, this.#word + 1) >>> 0,
      contended: Atomics.load(this.#cells, this.#word + 2) >>> 0,
      waiting: undefined,
      holder: undefined
    }
  }
}
