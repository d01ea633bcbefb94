/**
 * A thread-backend shared array: a view on real shared memory. The parent thread and every worker
 * thread holding the handle see the same bytes, with no message in between; integer elements are
 * read and written with `Atomics` so each access is whole and visible at once.
 *
 * Also the index and value checks of both backends of `SharedArray`, so a bad index fails the
 * same way in shared memory and over the wire.
 */
import { IndexOutOfRangeError, InvalidArgumentError, UnsupportedOperationError } from '../core/errors'
import type { LockStats } from '../core/primitive-stats'
import { AtomicsLock } from './atomics-lock'
import { isIntegerType, numericArray, type NumericArray, type NumericType } from './numeric-type'
import { withLock, type SharedArrayLike, type ThreadArrayHandle } from './shared-array-like'

/** Control cells after the lock's: reads and writes so far. */
const READS = AtomicsLock.CELLS
const WRITES = AtomicsLock.CELLS + 1

/** `Int32Array` cells a thread-backend array needs for its lock and counters. */
export const CONTROL_CELLS = AtomicsLock.CELLS + 2

/** A shared array over a `SharedArrayBuffer`, the same object in every thread. */
export class MemoryArray implements SharedArrayLike {
  readonly length: number
  readonly type: NumericType
  readonly hasLock: boolean
  readonly #data: NumericArray
  readonly #control: Int32Array
  readonly #lock: AtomicsLock
  readonly #isAtomic: boolean

  constructor(handle: ThreadArrayHandle) {
    this.length = handle.length
    this.type = handle.type
    this.hasLock = handle.hasLock
    this.#data = numericArray(handle.type, handle.length, handle.data)
    this.#control = new Int32Array(handle.control, 0, CONTROL_CELLS)
    this.#lock = new AtomicsLock(this.#control)
    this.#isAtomic = isIntegerType(handle.type)
  }

  async get(index: number): Promise<number> {
    const i = elementIndex(index, this.length)
    Atomics.add(this.#control, READS, 1)
    return this.#isAtomic ? Atomics.load(this.#data as Int32Array, i) : this.#data[i]
  }

  async set(index: number, value: number): Promise<void> {
    const i = elementIndex(index, this.length)
    this.#store(i, elementValue(value))
  }

  async snapshot(): Promise<number[]> {
    Atomics.add(this.#control, READS, this.length)
    return Array.from({ length: this.length }, (_, i) => (this.#isAtomic ? Atomics.load(this.#data as Int32Array, i) : this.#data[i]))
  }

  async setAll(values: readonly number[]): Promise<void> {
    const checked = elementValues(values, this.length)
    for (let i = 0; i < this.length; i++) this.#store(i, checked[i])
  }

  async acquire(timeoutMs?: number): Promise<boolean> {
    this.#requireLock()
    return this.#lock.acquire(timeoutMs)
  }

  async release(): Promise<void> {
    this.#requireLock()
    this.#lock.release()
  }

  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withLock(this, fn)
  }

  /** Counters kept in shared memory, so they include every thread's accesses. */
  counters(): { reads: number; writes: number; lock: LockStats | undefined } {
    return {
      reads: Atomics.load(this.#control, READS) >>> 0,
      writes: Atomics.load(this.#control, WRITES) >>> 0,
      lock: this.hasLock ? this.#lock.stats() : undefined
    }
  }

  #store(index: number, value: number): void {
    Atomics.add(this.#control, WRITES, 1)
    // `Atomics.store` works on the integer types only; float elements are plain writes.
    if (this.#isAtomic) Atomics.store(this.#data as Int32Array, index, value)
    else this.#data[index] = value
  }

  #requireLock(): void {
    if (!this.hasLock) throw new UnsupportedOperationError('this shared array was created with lock: false')
  }
}

/** Python's indexing: negative counts from the end. */
export function elementIndex(index: unknown, length: number): number {
  if (typeof index !== 'number' || !Number.isInteger(index)) throw new InvalidArgumentError('index must be an integer')
  const resolved = index < 0 ? index + length : index
  if (resolved < 0 || resolved >= length) throw new IndexOutOfRangeError(`index ${index} out of range (length ${length})`)
  return resolved
}

/** An element value: any number (the element type then wraps or rounds it). */
export function elementValue(value: unknown): number {
  if (typeof value !== 'number') throw new InvalidArgumentError('values must be numbers')
  return value
}

/** A whole array's worth of values, exactly `length` numbers. */
export function elementValues(values: unknown, length: number): number[] {
  if (!Array.isArray(values) || values.length !== length) {
    throw new InvalidArgumentError(`setAll() needs an array of exactly ${length} numbers`)
  }
  return values.map(elementValue)
}
