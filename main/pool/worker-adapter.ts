/**
 * What the pool needs from a worker, whatever runs it: an OS process or a thread. The pool speaks
 * only this interface, so both backends share every scheduling, timeout and recovery rule.
 */
import type { FromWorker, ToWorker } from './protocol'

export interface WorkerExit {
  code: number | null
  signal: string | null
}

export interface WorkerAdapter {
  /** OS process id; for threads, the pool's own pid. */
  readonly pid: number | undefined
  send(message: ToWorker): void
  onMessage(listener: (message: FromWorker) => void): void
  /** Called exactly once, however the worker ended. */
  onExit(listener: (exit: WorkerExit) => void): void
  onOutput(listener: (stream: 'stdout' | 'stderr', text: string) => void): void
  /** Forced stop: SIGKILL for a process, `terminate()` for a thread. */
  kill(): void
}

export interface AdapterOptions {
  workerScript: string
  name: string
  env?: Record<string, string>
  /** Process workers only; default `json`. */
  serialization?: 'json' | 'advanced'
}
