/**
 * Ending a run leaves nothing of it in Redis: its record and heartbeat go, its queue is
 * obliterated, and whatever a late writer left under the queue's prefix (a host's stalled-check
 * marker, an event written as the queue went) is swept. The pool does this when it ends; a host
 * does it for a run whose pool died without ending it (its heartbeat expired), and each host sweeps
 * again after it has stopped serving a run, so the last writer cleans up after itself.
 */
import type { Redis } from 'ioredis'
import { aliveKey, queueKeyPattern, RUNS_CHANNEL, RUNS_KEY } from './keys'

const SCAN_COUNT = 1_000

/** Removes the run from the registry and tells the hosts at once. */
export async function unregisterRun(client: Redis, runId: string): Promise<void> {
  await client.multi().hdel(RUNS_KEY, runId).del(aliveKey(runId)).publish(RUNS_CHANNEL, runId).exec()
}

/** Deletes every key under the run's queue prefix; returns how many there were. */
export async function sweepRunKeys(client: Redis, runId: string): Promise<number> {
  let cursor = '0'
  let deleted = 0
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', queueKeyPattern(runId), 'COUNT', SCAN_COUNT)
    cursor = next
    if (keys.length > 0) deleted += await client.unlink(...keys)
  } while (cursor !== '0')
  return deleted
}

/** Rejects after `ms` with `what` in its message: no clean-up step may hang on a Redis that is gone. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
