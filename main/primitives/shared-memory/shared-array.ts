/**
 * Shared numbers, Python's `multiprocessing.Array` (and, one element long, `Value`): an array of
 * one numeric type that the parent and its workers read and write, with an optional lock.
 *
 * Two backends, because Node offers shared memory between threads but not between processes:
 *
 * - `thread`: real shared memory. The elements live in a `SharedArrayBuffer` that `postMessage`
 *   hands to worker threads as shared; every thread reads and writes the same bytes directly. The
 *   lock is an `AtomicsLock` in the same memory (`Atomics.waitAsync` / `notify`).
 *
 * - `process`: Node has no cross-process shared memory without native addons, so the honest
 *   design is one owner: the elements live here, in the parent, and workers reach them by message
 *   (`callParent`). Each single call is atomic, because the parent applies one at a time. The lock
 *   is an explicit `FifoLock` held here — acquire, release, a first-come-first-served line of
 *   waiters, released automatically when its holder dies — and it really excludes. An unlocked
 *   read-modify-write (`get`, then `set`) is two separate messages, and other processes' calls
 *   interleave between them, so concurrent unlocked increments really lose updates: the same race
 *   Python's `Value` shows without `get_lock()`, for the same reason.
 */
import type { Backend } from '../../pool/types'
import { InvalidArgumentError, InvalidHandleError, timeoutArg, UnsupportedOperationError, type PrimitiveClosedError } from '../core/errors'
import { PrimitiveOwner, type OwnerCaller } from '../core/primitive-owner'
import type { SharedArrayStats } from '../core/primitive-stats'
import { checkHandle, remoteTransport } from '../core/transport'
import { FifoLock } from './fifo-lock'
import { CONTROL_CELLS, elementIndex, elementValue, elementValues, MemoryArray } from './memory-array'
import { bytesPerElement, checkNumericType, numericArray, type NumericArray, type NumericType } from './numeric-type'
import { RemoteArray } from './remote-array'
import type { SharedArrayHandle, SharedArrayLike } from './shared-array-like'

/** Options of a `SharedArray`. */
export interface SharedArrayOptions {
  /** Element type; default `int32`. */
  type?: NumericType
  /** Initial elements; their count is the length unless `length` is given (then they must match). */
  values?: readonly number[]
  /** Number of elements, all 0, when `values` is not given. */
  length?: number
  /** Guard it with a lock (default `true`, as in Python). */
  lock?: boolean
  /** Must match the workers that will use it: `thread` (shared memory) or `process` (owner in the parent; default). */
  backend?: Backend
  /** A name for the monitor. */
  label?: string
}

/** Most elements one shared array may hold (1 GiB of float64). */
const MAX_LENGTH = 2 ** 27

/** Owner of a shared array of numbers, on the thread or the process backend. */
export class SharedArray extends PrimitiveOwner implements SharedArrayLike {
  readonly backend: Backend
  readonly type: NumericType
  readonly length: number
  readonly hasLock: boolean
  /** Pass this to tasks; they call `SharedArray.connect(handle)`. */
  readonly handle: SharedArrayHandle
  readonly #kind: 'shared-array' | 'shared-value'
  /** How the parent itself uses it: shared memory directly, or its own owner through the local transport. */
  readonly #view: MemoryArray | RemoteArray
  /** Process backend only: the elements and the lock. */
  readonly #values: NumericArray | undefined
  readonly #lock: FifoLock | undefined
  #reads = 0
  #writes = 0

  /** @param kind `shared-value` when a `SharedValue` wraps it, for the monitor. */
  constructor(options: SharedArrayOptions = {}, kind: 'shared-array' | 'shared-value' = 'shared-array') {
    super(kind, options.label)
    this.#kind = kind
    this.type = checkNumericType(options.type ?? 'int32')
    this.backend = options.backend ?? 'process'
    if (this.backend !== 'process' && this.backend !== 'thread') throw new InvalidArgumentError('backend must be "process" or "thread"')
    const lock = options.lock ?? true
    if (typeof lock !== 'boolean') throw new InvalidArgumentError('lock must be true or false')
    this.hasLock = lock
    const initial = options.values === undefined ? undefined : elementValues(options.values, options.values?.length ?? 0)
    const length = options.length ?? initial?.length
    if (length === undefined || !Number.isInteger(length) || length < 1 || length > MAX_LENGTH) {
      throw new InvalidArgumentError(`length must be an integer between 1 and ${MAX_LENGTH} (or give values)`)
    }
    if (initial && initial.length !== length) throw new InvalidArgumentError(`values has ${initial.length} elements but length is ${length}`)
    this.length = length
    const base = { kind: 'shared-array' as const, service: this.service, type: this.type, length, hasLock: lock }
    if (this.backend === 'thread') {
      const handle = {
        ...base,
        backend: 'thread' as const,
        data: new SharedArrayBuffer(length * bytesPerElement(this.type)),
        control: new SharedArrayBuffer(CONTROL_CELLS * Int32Array.BYTES_PER_ELEMENT)
      }
      if (initial) numericArray(this.type, length, handle.data).set(initial)
      this.handle = handle
      this.#view = new MemoryArray(handle)
    } else {
      this.#values = numericArray(this.type, length)
      if (initial) this.#values.set(initial)
      this.#lock = lock ? new FifoLock() : undefined
      this.handle = { ...base, backend: 'process' }
      this.#view = new RemoteArray(this.handle, this.localTransport())
    }
  }

  /**
   * The worker side: the array behind `handle`. Thread handles work anywhere their memory was
   * passed (the parent included); process handles need a worker.
   */
  static connect(handle: SharedArrayHandle): SharedArrayLike {
    const checked = checkHandle<SharedArrayHandle>(handle, ['shared-array'], 'SharedArray')
    if (checked.backend === 'process') return new RemoteArray(checked, remoteTransport(checked.service, 'SharedArray'))
    if (!(checked.data instanceof SharedArrayBuffer) || !(checked.control instanceof SharedArrayBuffer)) {
      throw new InvalidHandleError(
        "this shared array was created with backend 'thread': its memory can reach worker threads only, not worker processes — create it with backend 'process' for those"
      )
    }
    return new MemoryArray(checked)
  }

  get(index: number): Promise<number> {
    return this.#view.get(index)
  }

  set(index: number, value: number): Promise<void> {
    return this.#view.set(index, value)
  }

  snapshot(): Promise<number[]> {
    return this.#view.snapshot()
  }

  setAll(values: readonly number[]): Promise<void> {
    return this.#view.setAll(values)
  }

  acquire(timeoutMs?: number): Promise<boolean> {
    return this.#view.acquire(timeoutMs)
  }

  release(): Promise<void> {
    return this.#view.release()
  }

  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.#view.withLock(fn)
  }

  stats(): SharedArrayStats {
    const counters =
      this.#view instanceof MemoryArray
        ? this.#view.counters()
        : { reads: this.#reads, writes: this.#writes, lock: this.#lock?.stats() }
    return {
      kind: this.#kind,
      service: this.service,
      label: this.label,
      isClosed: this.isClosed,
      backend: this.backend,
      type: this.type,
      length: this.length,
      ...counters
    }
  }

  protected serve(method: string, args: unknown[], caller: OwnerCaller): unknown {
    const values = this.#values
    if (!values) throw new UnsupportedOperationError('this shared array lives in shared memory: connect to it, do not call it')
    switch (method) {
      case 'get':
        this.#reads++
        return values[elementIndex(args[0], this.length)]
      case 'set': {
        const index = elementIndex(args[0], this.length)
        values[index] = elementValue(args[1])
        this.#writes++
        return undefined
      }
      case 'snapshot':
        this.#reads += this.length
        return Array.from(values)
      case 'setAll':
        values.set(elementValues(args[0], this.length))
        this.#writes += this.length
        return undefined
      case 'acquire':
        return this.#requireLock().acquire(caller, timeoutArg(args[0]))
      case 'release':
        this.#requireLock().release(args[0])
        return undefined
      default:
        throw new UnsupportedOperationError(`a shared array has no method "${method}"`)
    }
  }

  protected callerExited(key: string): void {
    this.#lock?.callerExited(key)
  }

  protected onClose(error: PrimitiveClosedError): void {
    this.#lock?.close(error)
  }

  #requireLock(): FifoLock {
    if (!this.#lock) throw new UnsupportedOperationError('this shared array was created with lock: false')
    return this.#lock
  }
}
