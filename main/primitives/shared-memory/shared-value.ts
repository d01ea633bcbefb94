/**
 * One shared number, Python's `multiprocessing.Value`: a `SharedArray` of length 1 behind a
 * value-shaped API, with the same two backends and the same lock (see `shared-array.ts` for the
 * design, and for why an unlocked `get` then `set` races).
 */
import type { Backend } from '../../pool/types'
import type { PrimitiveHost } from '../core/primitive-host'
import type { SharedArrayStats } from '../core/primitive-stats'
import { checkHandle } from '../core/transport'
import type { NumericType } from './numeric-type'
import { SharedArray } from './shared-array'
import type { LockLike, SharedArrayHandle, SharedArrayLike } from './shared-array-like'

/** Options of a `SharedValue`. */
export interface SharedValueOptions {
  /** Element type; default `int32`. */
  type?: NumericType
  /** Initial value; default 0. */
  value?: number
  /** Guard it with a lock (default `true`). */
  lock?: boolean
  /** `thread` (shared memory) or `process` (owner in the parent; default). */
  backend?: Backend
  label?: string
}

/** What a worker needs to reach a shared value; pass it to tasks as an argument. */
export interface SharedValueHandle {
  kind: 'shared-value'
  service: string
  array: SharedArrayHandle
}

/** A shared value as task code sees it. */
export interface SharedValueLike extends LockLike {
  get(): Promise<number>
  set(value: number): Promise<void>
  /** Runs `fn` holding the lock: Python's `with value.get_lock():`. */
  withLock<T>(fn: () => T | Promise<T>): Promise<T>
}

/** A value over any shared array's element 0. */
class SharedValueView implements SharedValueLike {
  readonly #array: SharedArrayLike

  constructor(array: SharedArrayLike) {
    this.#array = array
  }

  get(): Promise<number> {
    return this.#array.get(0)
  }

  set(value: number): Promise<void> {
    return this.#array.set(0, value)
  }

  acquire(timeoutMs?: number): Promise<boolean> {
    return this.#array.acquire(timeoutMs)
  }

  release(): Promise<void> {
    return this.#array.release()
  }

  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.#array.withLock(fn)
  }
}

/** Owner of one shared number; `SharedValue.connect(handle)` reaches it from workers. */
export class SharedValue extends SharedValueView {
  /** Pass this to tasks; they call `SharedValue.connect(handle)`. */
  readonly handle: SharedValueHandle
  readonly #array: SharedArray

  constructor(options: SharedValueOptions = {}) {
    const { value = 0, ...rest } = options
    const array = new SharedArray({ ...rest, values: [value] }, 'shared-value')
    super(array)
    this.#array = array
    this.handle = { kind: 'shared-value', service: array.service, array: array.handle }
  }

  /** The worker side: the value behind `handle`. */
  static connect(handle: SharedValueHandle): SharedValueLike {
    const checked = checkHandle<SharedValueHandle>(handle, ['shared-value'], 'SharedValue')
    return new SharedValueView(SharedArray.connect(checked.array))
  }

  get service(): string {
    return this.#array.service
  }

  get backend(): Backend {
    return this.#array.backend
  }

  /** See `PrimitiveOwner.attach`. */
  attach(host: PrimitiveHost): () => void {
    return this.#array.attach(host)
  }

  stats(): SharedArrayStats {
    return this.#array.stats()
  }

  close(): void {
    this.#array.close()
  }
}
