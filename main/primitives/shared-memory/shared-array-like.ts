/**
 * A shared array of numbers as task code sees it, Python's `multiprocessing.Array`, whatever
 * backs it. Every method is asynchronous because on the process backend each is a message to the
 * owner. Each call is atomic by itself; a read followed by a write is not, which is what the lock
 * is for.
 */
import type { NumericType } from './numeric-type'

/** The methods of a shared array, whichever backend holds it. */
export interface SharedArrayLike extends LockLike {
  readonly length: number
  readonly type: NumericType
  readonly hasLock: boolean
  /** Element `index` (negative counts from the end); `IndexOutOfRangeError` past either end. */
  get(index: number): Promise<number>
  set(index: number, value: number): Promise<void>
  /** A copy of every element. */
  snapshot(): Promise<number[]>
  /** Replaces every element (Python's `arr[:] = values`); `values` must have the same length. */
  setAll(values: readonly number[]): Promise<void>
  /** Runs `fn` holding the lock: Python's `with arr.get_lock():`. */
  withLock<T>(fn: () => T | Promise<T>): Promise<T>
}

/**
 * What a worker needs to reach a thread-backend array: the shared memory itself, which
 * `postMessage` hands to a thread as shared (not copied). A process worker's JSON channel cannot
 * carry it, and `connect()` says so.
 */
export interface ThreadArrayHandle {
  kind: 'shared-array'
  service: string
  backend: 'thread'
  type: NumericType
  length: number
  hasLock: boolean
  data: SharedArrayBuffer
  /** Lock cells and read/write counters. */
  control: SharedArrayBuffer
}

/** What a worker needs to reach a process-backend array: the owner's service name. */
export interface ProcessArrayHandle {
  kind: 'shared-array'
  service: string
  backend: 'process'
  type: NumericType
  length: number
  hasLock: boolean
}

/** What a worker needs to reach a shared array of either backend. */
export type SharedArrayHandle = ThreadArrayHandle | ProcessArrayHandle

/**
 * The lock that guards a shared value or array (Python's `get_lock()`), whatever backs it:
 * `FifoLock` in the parent for the process backend, `AtomicsLock` in shared memory for threads.
 */
export interface LockLike {
  /** Waits for the lock; with `timeoutMs`, gives up then and resolves `false` (Python's `acquire(timeout=…)`). */
  acquire(timeoutMs?: number): Promise<boolean>
  /** Releases it; `LockNotHeldError` if it is not held (by this caller, on the process backend). */
  release(): Promise<void>
}

/** Runs `fn` holding `lock`, releasing it however `fn` ends: Python's `with lock:`. */
export async function withLock<T>(lock: LockLike, fn: () => T | Promise<T>): Promise<T> {
  await lock.acquire()
  try {
    return await fn()
  } finally {
    await lock.release()
  }
}
