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
