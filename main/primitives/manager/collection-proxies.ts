/**
 * The list and dict a `Manager` keeps, as task code sees them (Python's `ListProxy` and
 * `DictProxy`). Each call is one operation on the owner, applied whole before the next starts, so
 * appends from many processes are never lost; a read followed by a write is two operations, as in
 * Python. Dict keys are strings because keys travel as JSON.
 */
import type { Transport } from '../core/transport'

/** What a worker needs to reach a managed list or dict; pass it to tasks as an argument. */
interface ManagedHandle<K extends string> {
  kind: K
  service: string
  id: number
}

/** What a worker needs to reach a managed list; pass it to tasks as an argument. */
export type ListHandle = ManagedHandle<'manager-list'>

/** What a worker needs to reach a managed dict; pass it to tasks as an argument. */
export type DictHandle = ManagedHandle<'manager-dict'>

/** A managed collection's handle and the one way its methods reach the owner. */
abstract class ManagedProxy<H extends ListHandle | DictHandle> {
  readonly handle: H
  readonly #transport: Transport
  /** The owner's method prefix: `list.append`, `dict.set`. */
  readonly #prefix: string

  constructor(handle: H, transport: Transport, prefix: 'list' | 'dict') {
    this.handle = handle
    this.#transport = transport
    this.#prefix = prefix
  }

  protected call(method: string, ...args: unknown[]): Promise<unknown> {
    return this.#transport(`${this.#prefix}.${method}`, [this.handle.id, ...args])
  }
}

/** A managed list's methods, each one operation on the owner. */
export class ListProxy<T = unknown> extends ManagedProxy<ListHandle> {
  constructor(handle: ListHandle, transport: Transport) {
    super(handle, transport, 'list')
  }

  /** Adds `value` at the end; resolves to the new length. */
  async append(value: T): Promise<number> {
    return (await this.call('append', value)) as number
  }

  /** Adds every value at the end, in one operation; resolves to the new length. */
  async extend(values: readonly T[]): Promise<number> {
    return (await this.call('extend', values)) as number
  }

  /** The value at `index` (negative counts from the end); `IndexOutOfRangeError` past either end. */
  async get(index: number): Promise<T> {
    return (await this.call('get', index)) as T
  }

  async set(index: number, value: T): Promise<void> {
    await this.call('set', index, value)
  }

  /** Removes and returns the value at `index` (default: the last). */
  async pop(index = -1): Promise<T> {
    return (await this.call('pop', index)) as T
  }

  async length(): Promise<number> {
    return (await this.call('length')) as number
  }

  /** A copy of the whole list, taken in one operation. */
  async snapshot(): Promise<T[]> {
    return (await this.call('snapshot')) as T[]
  }
}

/** A managed dict's methods, each one operation on the owner. */
export class DictProxy<T = unknown> extends ManagedProxy<DictHandle> {
  constructor(handle: DictHandle, transport: Transport) {
    super(handle, transport, 'dict')
  }

  async set(key: string, value: T): Promise<void> {
    await this.call('set', key, value)
  }

  /** The value under `key`, or `undefined` when there is none. */
  async get(key: string): Promise<T | undefined> {
    return (await this.call('get', key)) as T | undefined
  }

  async has(key: string): Promise<boolean> {
    return (await this.call('has', key)) as boolean
  }

  /** Removes `key`; resolves to whether it was there. */
  async delete(key: string): Promise<boolean> {
    return (await this.call('delete', key)) as boolean
  }

  /** Removes `key` and returns its value; `KeyMissingError` when there is none. */
  async pop(key: string): Promise<T> {
    return (await this.call('pop', key)) as T
  }

  /** Sets every entry of `entries`, in one operation. */
  async update(entries: Record<string, T>): Promise<void> {
    await this.call('update', entries)
  }

  async keys(): Promise<string[]> {
    return (await this.call('keys')) as string[]
  }

  async length(): Promise<number> {
    return (await this.call('length')) as number
  }

  /** A copy of the whole dict, taken in one operation. */
  async snapshot(): Promise<Record<string, T>> {
    return (await this.call('snapshot')) as Record<string, T>
  }
}
