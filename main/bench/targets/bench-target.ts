/**
 * The work a speedup benchmark times, injected into the runner: an external command
 * (`command-target.ts`) or a catalog task run through a pool (`task-target.ts`). The runner
 * only knows how to call these two methods and what to write in the report about them.
 */
import type { RunBackend } from '../../../shared/contract'

/** What the report records about the work, so the benchmark can be reproduced. */
export interface BenchTargetDescription {
  /** Catalog task id, for a task benchmark. */
  task?: string
  /** The command template as the user gave it, for a command benchmark. */
  command?: string
  params: Record<string, unknown>
  /** Where the workers ran: `process`, `thread`, or `redis` (the cluster's hosts). */
  backend?: RunBackend
}

/** One unit of work the runner times. Each call does the whole job once and resolves when it is done. */
export interface BenchTarget {
  readonly describe: BenchTargetDescription
  /**
   * Does the job once as a single process, without a pool: the reference every speedup divides.
   * Rejects if the job failed (a failed run is an error, never a time). Should stop and reject
   * promptly when `signal` aborts.
   */
  baseline(signal: AbortSignal): Promise<void | number>
  /**
   * Does the job once with `workers` workers; same contract as {@link BenchTarget.baseline}.
   * Either may resolve to the milliseconds the work itself took (pool start-up excluded), which
   * the runner then records instead of the time around the call.
   */
  run(workers: number, signal: AbortSignal): Promise<void | number>
  /** Releases what the target keeps between runs (warm pools); the runner calls it once, at the end. */
  close?(): Promise<void>
}
