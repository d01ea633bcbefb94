/**
 * What one catalog task is: metadata, a parameter schema shared by the CLI and the app's forms,
 * the parent-side `run` that drives pools or processes, and (in the same file) the worker-side
 * functions it names as `"<task-id>:<export>"`.
 */
import type { z } from 'zod'
import type { RunCheck } from '../shared/contract'
import type { TaskPool } from '../main/pool/inline-pool'
import type { Process, ProcessOptions } from '../main/pool/process'
import type { Backend, PoolOptions } from '../main/pool/types'
import { zod } from './params'

export interface TaskContext<P> {
  params: P
  workers: number
  backend: Backend
  chunksize: number | undefined
  timeoutMs: number | undefined
  retries: number | undefined
  /** For long-running tasks: stop after this long (CLI `--duration`); otherwise until `signal` aborts. */
  durationMs: number | undefined
  /** Aborts when the user stops the run. */
  signal: AbortSignal
  /**
   * A pool with the run's settings (workers, backend, timeout, retries), already started. The
   * runner watches it for the monitor and terminates it when the run ends or is stopped. In the
   * speedup lab's baseline it is an in-process `InlinePool`: the same calls, one after another.
   */
  createPool(overrides?: Partial<PoolOptions>): Promise<TaskPool>
  /** A `Process` the runner watches and kills if still alive when the run ends. */
  createProcess(options: Omit<ProcessOptions, 'workerScript'>): Process
  /** Reports progress in the task's own units (otherwise the pools' counters are used). */
  progress(done: number, total?: number): void
  /** A line for the run's log (shown in the app, printed by the CLI on a TTY). */
  log(line: string): void
  /** A scratch folder for this run, removed afterwards. */
  tempDir(): Promise<string>
}

export interface TaskOutcome {
  result: unknown
  check: RunCheck
}

export interface TaskDefinition<S extends z.ZodObject = z.ZodObject> {
  /** Kebab-case, equal to the file name. */
  id: string
  title: string
  /** One paragraph: what it does and what to watch for. */
  description: string
  /** The multiprocessing pattern it demonstrates. */
  pattern: string
  longRunning?: boolean
  params: S
  run(ctx: TaskContext<z.output<S>>): Promise<TaskOutcome>
}

/**
 * A task as its file writes it: `params` is a factory given zod's `z`, so that importing the file
 * (as a worker does, for the task's functions) loads no zod and builds no schema.
 */
export type TaskSpec<S extends z.ZodObject> = Omit<TaskDefinition<S>, 'params'> & { params: (zod: typeof z) => S }

/** The task, its schema built on first use (and once) and typed for `run`'s parameters. */
export function defineTask<S extends z.ZodObject>(spec: TaskSpec<S>): TaskDefinition<S> {
  let schema: S | undefined
  const { params, ...rest } = spec
  return Object.defineProperty(rest, 'params', { get: () => (schema ??= params(zod())), enumerable: true }) as TaskDefinition<S>
}
