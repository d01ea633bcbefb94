/**
 * A list kept by a `Manager`, as task code sees it (Python's `ListProxy`). Each call is one
 * operation on the owner, applied whole before the next starts, so appends from many processes
 * are never lost; a read followed by a write is two operations, as in Python.
 */
import type { Transport } from '../core/transport'

/** What a worker needs to reach a managed list; pass it to tasks as an argument. */
export interface ListHandle {
  kind: 'manager-list'
  service: string
  id: number
}

/** A managed list's methods, each one operation on the owner. */
export class ListProxy<T = unknown> {
  readonly handle: ListHandle
  readonly #transport: Transport

  constructor(handle: ListHandle, transport: Transport) {
    this.handle = handle
    this.#transport = transport
  }

  /** Adds `value` at the end; resolves to the new length. */
  async append(value: T): Promise<number> {
    return (await this.#call('append', value)) as number
  }

  /** Adds every value at the end, in one operation; resolves to the new length. */
  async extend(values: readonly T[]): Promise<number> {
    return (await this.#call('extend', values)) as number
  }

  /** The value at `index` (negative counts from the end); `IndexOutOfRangeError` past either end. */
  async get(index: number): Promise<T> {
    return (await this.#call('get', index)) as T
  }

  async set(index: number, value: T): Promise<void> {
    await this.#call('set', index, value)
  }

  /** Removes and returns the value at `index` (default: the last). */
  async pop(index = -1): Promise<T> {
    return (await this.#call('pop', index)) as T
  }

  async length(): Promise<number> {
    return (await this.#call('length')) as number
  }

  /** A copy of the whole list, taken in one operation. */
  async snapshot(): Promise<T[]> {
    return (await this.#call('snapshot')) as T[]
  }

  #call(method: string, ...args: unknown[]): Promise<unknown> {
    return this.#transport(`list.${method}`, [this.handle.id, ...args])
  }
}
