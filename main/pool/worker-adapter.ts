/**
 * What the pool needs from a worker, whatever runs it: an OS process, a thread, or a remote host
 * (the cluster). The pool speaks only this interface, so every backend shares every scheduling,
 * timeout and recovery rule; a worker of any backend speaks the `ToWorker` / `FromWorker` protocol
 * of `protocol.ts`.
 */
import type { FromWorker, ToWorker } from './protocol'

/** How a worker ended: an exit code, or the signal that killed it. */
export interface WorkerExit {
  code: number | null
  signal: string | null
}

/** One worker, as a backend runs it. */
export interface WorkerAdapter {
  /** OS process id; for threads, the pool's own pid; `undefined` where there is none (yet). */
  readonly pid: number | undefined
  /**
   * Units expected to take less than this many ms get one more lined up behind them on this
   * worker (default: the scheduler's 10 ms). A worker whose hand-off costs more than an IPC round
   * trip sets it higher: a cluster job waits for Redis both ways, and a host whose next job is
   * already queued takes it the moment it finishes the last.
   */
  readonly lineUpOneBelowMs?: number
  /**
   * Short units (under the scheduler's 2 ms) are lined up on this worker to keep it busy this long
   * between hand-offs (default: those 2 ms, an IPC round trip's worth and more). A cluster job's
   * hand-off goes through Redis both ways, so its virtual workers ask for more.
   */
  readonly pipelineTargetMs?: number
  /**
   * Set, a worker whose line is still over half full is not topped up: it is refilled in batches,
   * half its depth at a time. For a worker whose every send has a fixed cost of its own (a cluster
   * job batch is one Redis transaction), one send of many units instead of one per finished unit.
   */
  readonly refillsInBatches?: boolean
  /**
   * A worker that runs its units somewhere else (the cluster's hosts) sets this: each unit it is
   * sent carries its own `timeoutMs` and the re-runs it has left (`retries`), so the remote side
   * enforces them too. Local workers leave it unset: the pool enforces both itself.
   */
  readonly wantsUnitOptions?: boolean
  /**
   * A worker whose units run side by side (the cluster: one job per unit, on any host) sets this:
   * an outcome for a unit settles that unit only, and the units before it stay in its line. Unset,
   * units finish in order and an outcome also drops the units before it (they were cancelled).
   */
  readonly completesOutOfOrder?: boolean
  /** Delivers a message to the worker; a no-op once it has exited. Throws if `message` cannot be encoded. */
  send(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  /** Called exactly once, however the worker ended (at once for a listener added after the exit). */
  onExit(listener: (exit: WorkerExit) => void): void
  onOutput(listener: (stream: 'stdout' | 'stderr', text: string) => void): void
  /** Forced stop: SIGKILL for a process, `terminate()` for a thread. */
  kill(): void
  /**
   * Graceful stop: asks the worker to leave (`shutdown`: it flushes its results first), and kills
   * it if it is still running `graceMs` later. Resolves with its exit either way.
   */
  stop(graceMs: number): Promise<WorkerExit>
}

/** What a backend is told about each worker it starts. */
export interface AdapterOptions {
  workerScript: string
  name: string
  env?: Record<string, string>
  /** Process workers only; default `json`. */
  serialization?: 'json' | 'advanced'
}

/**
 * A source of workers: the pool's `backend` option. `'process'` and `'thread'` name the built-in
 * ones; any other (the cluster's) is passed as an object. `name` is what `pool.backend` and the
 * pool's snapshot report.
 */
export interface WorkerBackend {
  readonly name: string
  /**
   * Units a lazy map (`imap`, `imapUnordered`) keeps out per worker, running or not yet consumed
   * (default 4: an IPC round trip is short). A backend whose hand-off is slow keeps more out, or
   * its workers wait on the round trip: the cluster's, where each is a trip through Redis. Set,
   * the map also tops its window up only once half of it has come back, so the units it sends
   * leave together (one Redis transaction for many jobs, not one per finished job).
   */
  readonly lazyUnitsPerWorker?: number
  createAdapter(options: AdapterOptions): WorkerAdapter
}

/** How long a worker asked to stop may take before it is killed, unless the pool says otherwise. */
export const DEFAULT_GRACE_MS = 2000

/**
 * `stop(graceMs)` for adapters whose worker leaves on a `shutdown` message: send it, then kill
 * after the grace period. The timer is unref'd so a pool being closed never holds the process open.
 */
export function shutdownThenKill(adapter: WorkerAdapter, graceMs: number): Promise<WorkerExit> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => adapter.kill(), graceMs)
    deadline.unref()
    adapter.onExit((exit) => {
      clearTimeout(deadline)
      resolve(exit)
    })
    adapter.send({ type: 'shutdown' })
  })
}
