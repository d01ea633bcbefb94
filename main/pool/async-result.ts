/**
 * The handle `applyAsync` returns, shaped like Python's `AsyncResult`: the task runs regardless of
 * whether anyone waits; `get(timeoutMs)` gives up waiting (the task keeps running).
 */
import { ResultTimeoutError } from './errors'

export class AsyncResult<T> {
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending'
  readonly #promise: Promise<T>

  constructor(promise: Promise<T>) {
    this.#promise = promise
    promise.then(
      () => (this.#state = 'fulfilled'),
      () => (this.#state = 'rejected')
    )
  }

  /** The result, or the task's error; rejects with `ResultTimeoutError` after `timeoutMs`. */
  get(timeoutMs?: number): Promise<T> {
    if (timeoutMs === undefined) return this.#promise
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ResultTimeoutError(timeoutMs)), timeoutMs)
    })
    return Promise.race([this.#promise, timeout]).finally(() => clearTimeout(timer))
  }

  /** Resolves when the task has settled or `timeoutMs` passed, never rejects. */
  async wait(timeoutMs?: number): Promise<void> {
    await this.get(timeoutMs).catch(() => undefined)
  }

  ready(): boolean {
    return this.#state !== 'pending'
  }

  /** Whether it succeeded; throws if it has not settled yet, as Python's does. */
  successful(): boolean {
    if (this.#state === 'pending') throw new Error('the result is not ready')
    return this.#state === 'fulfilled'
  }
}

/** Callbacks for `applyAsync`, Python's `callback` / `error_callback`. */
export interface AsyncCallbacks<T> {
  callback?: (value: T) => void
  errorCallback?: (error: Error) => void
}

/** Wires the callbacks to a task's promise and wraps it, for every pool's `applyAsync`. */
export function toAsyncResult<T>(promise: Promise<T>, callbacks: AsyncCallbacks<T>): AsyncResult<T> {
  // Without an error callback the rejection is still observed here, so it never goes unhandled.
  promise.then(callbacks.callback, callbacks.errorCallback ?? (() => undefined))
  return new AsyncResult(promise)
}
