/**
 * A first-come, first-served line of callers blocked on an owner (getters on an empty queue,
 * putters on a full one, receivers on a pipe, lock waiters), each with an optional timeout and
 * filed under its caller key so a dead worker's waiters can be dropped.
 */

/** One blocked caller. */
export interface Waiter<V, D> {
  readonly key: string
  /** What the waiter brought (a putter's item); `undefined` for most. */
  readonly data: D
  resolve(value: V): void
  reject(error: Error): void
}

/** A FIFO of blocked callers with optional timeouts. */
export class WaiterLine<V, D = undefined> {
  #waiters: Waiter<V, D>[] = []

  get size(): number {
    return this.#waiters.length
  }

  /**
   * Joins the line. After `timeoutMs` the waiter leaves it and settles with what `onTimeout`
   * returns, or rejects with what it throws. `undefined` waits for ever; callers handle `0`
   * (do not wait) themselves.
   */
  wait(key: string, data: D, timeoutMs: number | undefined, onTimeout: () => V): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const waiter: Waiter<V, D> = {
        key,
        data,
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        }
      }
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#remove(waiter)
          try {
            resolve(onTimeout())
          } catch (error) {
            reject(error)
          }
        }, timeoutMs)
      }
      this.#waiters.push(waiter)
    })
  }

  /** Takes the longest-waiting waiter out of the line; the caller settles it. */
  shift(): Waiter<V, D> | undefined {
    return this.#waiters.shift()
  }

  peek(): Waiter<V, D> | undefined {
    return this.#waiters[0]
  }

  /** Removes every waiter filed under `key`, rejecting each with `error`; returns them. */
  dropKey(key: string, error: Error): Waiter<V, D>[] {
    const dropped = this.#waiters.filter((w) => w.key === key)
    if (dropped.length === 0) return dropped
    this.#waiters = this.#waiters.filter((w) => w.key !== key)
    for (const waiter of dropped) waiter.reject(error)
    return dropped
  }

  /** Empties the line, settling every waiter with `settle`. */
  drain(settle: (waiter: Waiter<V, D>) => void): void {
    const all = this.#waiters
    this.#waiters = []
    for (const waiter of all) settle(waiter)
  }

  #remove(waiter: Waiter<V, D>): void {
    const index = this.#waiters.indexOf(waiter)
    if (index >= 0) this.#waiters.splice(index, 1)
  }
}
