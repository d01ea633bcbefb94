/**
 * The lock of a process-backend shared value or array, held by its owner in the parent.
 *
 * Node gives separate processes no shared memory to build a lock in, so the lock is state in the
 * owner, reached by message: a holder, and a first-come-first-served line of waiters. It really
 * excludes — the parent grants it to one caller at a time — and unlike a POSIX semaphore it is
 * released when its holder dies, because the owner hears of every worker's end.
 *
 * Each grant carries a token that `release` must present, so a late release from a holder whose
 * grant was already taken back cannot free someone else's lock.
 */
import { LockNotHeldError, type PrimitiveClosedError } from '../core/errors'
import type { OwnerCaller } from '../core/primitive-owner'
import type { LockStats } from '../core/primitive-stats'
import { WaiterLine } from '../core/waiter-line'

/** A lock held in the owner, granted first come first served, released when its holder dies. */
export class FifoLock {
  #holder: { key: string; name: string; token: number } | undefined
  readonly #waiters = new WaiterLine<number, string>()
  #nextToken = 1
  #acquires = 0
  #contended = 0

  /**
   * Grants the lock to `caller` now or when its turn comes; resolves to the grant's token, or to
   * 0 if `timeoutMs` passed first (0: do not wait).
   */
  acquire(caller: OwnerCaller, timeoutMs: number | undefined): number | Promise<number> {
    if (!this.#holder) return this.#grant(caller.key, caller.name)
    this.#contended++
    if (timeoutMs === 0) return 0
    return this.#waiters.wait(caller.key, caller.name, timeoutMs, () => 0)
  }

  /** Releases the grant `token`; `LockNotHeldError` unless it is the current one. */
  release(token: unknown): void {
    if (!this.#holder || this.#holder.token !== token) throw new LockNotHeldError('release() of a lock this caller does not hold')
    this.#holder = undefined
    this.#handOver()
  }

  /** A holder that ended releases the lock; its waiting calls leave the line. */
  callerExited(key: string): void {
    this.#waiters.dropKey(key, new Error('the calling worker ended'))
    if (this.#holder?.key !== key) return
    this.#holder = undefined
    this.#handOver()
  }

  close(error: PrimitiveClosedError): void {
    this.#waiters.drain((waiter) => waiter.reject(error))
  }

  stats(): LockStats {
    return {
      isLocked: this.#holder !== undefined,
      acquires: this.#acquires,
      contended: this.#contended,
      waiting: this.#waiters.size,
      holder: this.#holder?.name
    }
  }

  #handOver(): void {
    const next = this.#waiters.shift()
    if (next) next.resolve(this.#grant(next.key, next.data))
  }

  #grant(key: string, name: string): number {
    const token = this.#nextToken++
    this.#holder = { key, name, token }
    this.#acquires++
    return token
  }
}
