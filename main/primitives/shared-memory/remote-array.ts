/**
 * A process-backend shared array as task code sees it: every element lives in the owner in the
 * parent, and each call is one message there and back. Each call is applied whole; a `get`
 * followed by a `set` is two messages, and other processes' calls land in between.
 */
import { UnsupportedOperationError } from '../core/errors'
import type { Transport } from '../core/transport'
import type { NumericType } from './numeric-type'
import { withLock, type ProcessArrayHandle, type SharedArrayLike } from './shared-array-like'

/** A process-backend shared array, reached through a transport. */
export class RemoteArray implements SharedArrayLike {
  readonly handle: ProcessArrayHandle
  readonly #transport: Transport
  /** The grant this proxy holds, presented again on release. */
  #token: number | undefined

  constructor(handle: ProcessArrayHandle, transport: Transport) {
    this.handle = handle
    this.#transport = transport
  }

  get length(): number {
    return this.handle.length
  }

  get type(): NumericType {
    return this.handle.type
  }

  get hasLock(): boolean {
    return this.handle.hasLock
  }

  async get(index: number): Promise<number> {
    return (await this.#transport('get', [index])) as number
  }

  async set(index: number, value: number): Promise<void> {
    await this.#transport('set', [index, value])
  }

  async snapshot(): Promise<number[]> {
    return (await this.#transport('snapshot', [])) as number[]
  }

  async setAll(values: readonly number[]): Promise<void> {
    await this.#transport('setAll', [values])
  }

  async acquire(timeoutMs?: number): Promise<boolean> {
    this.#requireLock()
    const token = (await this.#transport('acquire', [timeoutMs ?? null])) as number
    if (token === 0) return false
    this.#token = token
    return true
  }

  async release(): Promise<void> {
    this.#requireLock()
    const token = this.#token
    this.#token = undefined
    await this.#transport('release', [token ?? 0])
  }

  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withLock(this, fn)
  }

  #requireLock(): void {
    if (!this.hasLock) throw new UnsupportedOperationError('this shared array was created with lock: false')
  }
}
