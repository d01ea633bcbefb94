/**
 * What each primitive reports to the monitor: a discriminated union on `kind`, one shape per
 * primitive, every count cumulative since the owner was created unless it says "now".
 */

interface StatsBase {
  service: string
  /** The name given at creation, if any, for people. */
  label: string | undefined
  isClosed: boolean
}

/** A queue's depth and traffic. */
export interface QueueStats extends StatsBase {
  kind: 'queue'
  isJoinable: boolean
  /** 0 when unbounded. */
  maxsize: number
  /** Items waiting in the queue now. */
  depth: number
  peakDepth: number
  /** Items accepted by `put`. */
  puts: number
  /** Items received by a consumer (an item requeued from a dead consumer counts once, when received again). */
  gets: number
  /** Items handed to a worker whose receipt is not confirmed yet, now. */
  inFlight: number
  /** Items given back to the queue because the consumer they were handed to died before receiving them. */
  requeued: number
  /** Consumers blocked in `get` now. */
  waitingGetters: number
  /** Producers blocked in `put` on a full queue now. */
  waitingPutters: number
  /** Joinable queues: items put and not yet marked done, now. */
  unfinished: number
}

/** A pipe's traffic per end. */
export interface PipeStats extends StatsBase {
  kind: 'pipe'
  isDuplex: boolean
  /** Messages waiting to be received by end 0 and end 1, now. */
  pending: [number, number]
  /** Messages sent from end 0 and end 1. */
  sent: [number, number]
  /** Messages received at end 0 and end 1. */
  received: [number, number]
  closed: [boolean, boolean]
  /** Receivers blocked in `recv` at end 0 and end 1, now. */
  waitingReceivers: [number, number]
}

/** A manager's containers and traffic. */
export interface ManagerStats extends StatsBase {
  kind: 'manager'
  lists: { id: number; length: number }[]
  dicts: { id: number; size: number }[]
  /** Calls that changed a list or dict. */
  writes: number
  /** Calls that only read. */
  reads: number
}

/** A lock's state and contention. */
export interface LockStats {
  isLocked: boolean
  /** Grants so far. */
  acquires: number
  /** Acquires that had to wait for another holder. */
  contended: number
  /** Waiting now (process backend only; shared memory cannot count sleepers). */
  waiting: number | undefined
  /** Who holds it now (process backend only). */
  holder: string | undefined
}

/** A shared array's (or value's) traffic and lock. */
export interface SharedArrayStats extends StatsBase {
  kind: 'shared-array' | 'shared-value'
  backend: 'process' | 'thread'
  type: string
  length: number
  reads: number
  writes: number
  lock: LockStats | undefined
}

/** Any primitive's stats, told apart by `kind`. */
export type PrimitiveStats = QueueStats | PipeStats | ManagerStats | SharedArrayStats
