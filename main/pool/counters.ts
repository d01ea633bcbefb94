import type { PoolCounters } from './types'

/** Counters of a pool that has done nothing yet; also the start of a sum over pools. */
export function emptyCounters(): PoolCounters {
  return {
    submitted: 0,
    pending: 0,
    running: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    crashedWorkers: 0,
    inputsSubmitted: 0,
    inputsCompleted: 0,
    inputsFailed: 0
  }
}
