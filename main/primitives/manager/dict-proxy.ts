/**
 * A dict kept by a `Manager`, as task code sees it (Python's `DictProxy`), with string keys
 * because keys travel as JSON. Each call is one whole operation on the owner.
 */
import type { Transport } from '../core/transport'

/** What a worker needs to reach a managed dict; pass it to tasks as an argument. */
export interface DictHandle {
  kind: 'manager-dict'
  service: string
  id: number
}

/** A managed dict's methods, each one operation on the owner. */
export class DictProxy<T = unknown> {
  readonly handle: DictHandle
  readonly #transport: Transport

  constructor(handle: DictHandle, transport: Transport) {
    this.handle = handle
    this.#transport = transport
  }

  async set(key: string, value: T): Promise<void> {
    await this.#call('set', key, value)
  }

  /** The value under `key`, or `undefined` when there is none. */
  async get(key: string): Promise<T | undefined> {
    return (await this.#call('get', key)) as T | undefined
  }

  async has(key: string): Promise<boolean> {
    return (await this.#call('has', key)) as boolean
  }

  /** Removes `key`; resolves to whether it was there. */
  async delete(key: string): Promise<boolean> {
    return (await this.#call('delete', key)) as boolean
  }

  /** Removes `key` and returns its value; `KeyMissingError` when there is none. */
  async pop(key: string): Promise<T> {
    return (await this.#call('pop', key)) as T
  }

  /** Sets every entry of `entries`, in one operation. */
  async update(entries: Record<string, T>): Promise<void> {
    await this.#call('update', entries)
  }

  async keys(): Promise<string[]> {
    return (await this.#call('keys')) as string[]
  }

  async length(): Promise<number> {
    return (await this.#call('length')) as number
  }

  /** A copy of the whole dict, taken in one operation. */
  async snapshot(): Promise<Record<string, T>> {
    return (await this.#call('snapshot')) as Record<string, T>
  }

  #call(method: string, ...args: unknown[]): Promise<unknown> {
    return this.#transport(`dict.${method}`, [this.handle.id, ...args])
  }
}
