/**
 * Public types of the pool engine. The engine never imports `electron`: it runs the same inside
 * the Electron main process, the CLI, browser mode and the tests.
 */

/**
 * Names the function a worker runs. Either `"<scope>:<export>"`, an export of a module registered
 * in the worker with `registerWorkerModules` (the catalog's tasks, as `"<task-id>:<export>"`) or of
 * the builtins (`"builtin:<name>"`), loaded lazily; or a module file and one of its exports, which
 * is how user code and test fixtures are run.
 */
export type FnRef = string | { module: string; export?: string }

import type { WorkerBackend } from './worker-adapter'

/** `process` forks a real OS process per worker; `thread` runs workers as `worker_threads`. */
export type Backend = 'process' | 'thread'

/** A worker's lifecycle: exactly one of these at a time. */
export type WorkerState = 'starting' | 'idle' | 'busy' | 'stopping' | 'exited'

/** The encoding of a process worker's messages; see {@link PoolOptions.serialization}. */
export type Serialization = 'json' | 'advanced'

export interface PoolOptions {
  /** Number of workers; default `os.availableParallelism()`. */
  workers?: number
  /**
   * Where workers run: a built-in backend by name (default `process`), `redis` (the cluster's
   * worker hosts, with {@link PoolOptions.redis}; its modules and BullMQ load only then), or a
   * custom {@link WorkerBackend}.
   */
  backend?: Backend | 'redis' | WorkerBackend
  /**
   * With backend `redis` (and only then): the cluster's Redis, `redis://[user:password@]HOST:PORT[/db]`
   * or `rediss://` for TLS. Only catalog functions run there (`"<task-id>:<export>"`, `"builtin:<name>"`).
   */
  redis?: string
  /** Retire a worker after it has run this many dispatch units (a chunk counts as one), then replace it. */
  maxTasksPerChild?: number
  /** Runs once in every worker before its first task. */
  initializer?: { fn: FnRef; args?: unknown[] }
  /**
   * Registered module scopes (see `registerWorkerModules`; a catalog task's id) each worker loads
   * while it starts, so their load time counts as start-up and no unit pays it.
   */
  preload?: string[]
  /** Default per-unit timeout; the worker running an overdue unit is killed and replaced. */
  taskTimeoutMs?: number
  /** Default number of re-runs of a unit whose worker died under it. */
  retries?: number
  /** How long a worker may take to exit after a graceful stop before it is killed. */
  graceMs?: number
  /** Worker entry script (the built `worker.js`); injected by tests and by the app. */
  workerScript?: string
  /** Extra environment for process workers. */
  env?: Record<string, string>
  /**
   * How process workers' messages are encoded. `json` (default): the fastest round trip for small
   * tasks; values are what `JSON.stringify` keeps (a Map arrives as `{}`, a BigInt cannot be sent).
   * `advanced`: V8's serializer, as a thread's structured clone — BigInt, Map, Set, Date, typed
   * arrays and cycles arrive intact, big chunks of numbers travel faster, but each message costs
   * more (about twice the single-task round trip here; see bench/README.md). Threads always use the
   * structured clone.
   */
  serialization?: Serialization
  /** A name shown in the monitor; workers are named `<name>-<n>`. */
  name?: string
}

export interface TaskOptions {
  signal?: AbortSignal
  timeoutMs?: number
  retries?: number
}

export interface MapOptions extends TaskOptions {
  /** Inputs per message to a worker; `'auto'` (default) follows Python's rule for sized inputs. */
  chunksize?: number | 'auto'
  /**
   * `map`, `imap` and `imapUnordered` only: arguments passed after each input, `fn(x, ...extraArgs)`,
   * as Python binds them with `functools.partial`. They travel once per message, not once per input:
   * no argument array is built, sent or read per input, as `starmap` of `[x, a, b]` lists needs.
   */
  extraArgs?: readonly unknown[]
}

/** One dispatch unit's life, for the task-stream chart. Times are epoch milliseconds. */
export interface UnitSpan {
  unitId: number
  workerId: number
  /** Number of inputs the unit carried (1 for a single call). */
  size: number
  startedAt: number
  endedAt: number
  ok: boolean
}

export interface WorkerSnapshot {
  id: number
  name: string
  pid: number | undefined
  state: WorkerState
  /** The unit the worker is running now, if any. */
  currentUnitId: number | undefined
  unitsDone: number
  /** How many workers occupied this slot before this one (crashes, timeouts, retirements). */
  restarts: number
}

/** Unit counts (a chunk is one unit) plus input counts (a chunk of 50 is 50 inputs). */
export interface PoolCounters {
  submitted: number
  pending: number
  running: number
  completed: number
  failed: number
  retried: number
  crashedWorkers: number
  inputsSubmitted: number
  inputsCompleted: number
  inputsFailed: number
}

export interface PoolSnapshot extends PoolCounters {
  state: PoolState
  /** The backend's name: `process`, `thread`, or a custom backend's own. */
  backend: string
  size: number
  workers: WorkerSnapshot[]
  /** When the pool was created and (if it was) when its first worker became ready, epoch ms. */
  createdAt: number
  readyAt: number | undefined
}

export type PoolState = 'running' | 'closing' | 'closed' | 'terminated'

/** Events a pool emits (Node `EventEmitter` names and payloads). */
export interface PoolEvents {
  'worker-start': [worker: WorkerSnapshot]
  'worker-exit': [worker: WorkerSnapshot, info: { code: number | null; signal: string | null; expected: boolean }]
  'task-retry': [info: { unitId: number; attempt: number; reason: string }]
  /** Lines the workers wrote to stdout/stderr (process backend), for logs; bounded by the consumer. */
  output: [info: { workerId: number; stream: 'stdout' | 'stderr'; text: string }]
  spans: [spans: UnitSpan[]]
}
