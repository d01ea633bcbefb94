/**
 * What the contract's channels carry: the shapes of request results and event payloads (see
 * `contract.ts`, which names the channels and re-exports everything here). Produced by main
 * itself, so typed only, except a benchmark report, which main also reads back from disk and so
 * is a schema (`benchReportSchema`), its type inferred from it.
 */
import { z } from 'zod'

export const backendSchema = z.enum(['process', 'thread'])
export type BackendName = z.infer<typeof backendSchema>
/**
 * Where a dashboard run's workers are: a local backend, or `redis`, the cluster's worker hosts
 * (only when the app was started with a Redis; `serve --redis URL` or POOLSCOPE_REDIS).
 */
export const runBackendSchema = z.enum([...backendSchema.options, 'redis'])
export type RunBackend = z.infer<typeof runBackendSchema>

/** One task parameter, described for generated forms (and `poolscope tasks --json`). */
export interface ParamSpec {
  name: string
  type: 'integer' | 'number' | 'string' | 'boolean' | 'enum' | 'string-list'
  description: string
  default: unknown
  min?: number
  max?: number
  options?: string[]
}

export interface TaskInfo {
  id: string
  title: string
  description: string
  /** The multiprocessing pattern the task demonstrates. */
  pattern: string
  params: ParamSpec[]
  /** Runs until stopped (needs a duration or the Stop button). */
  longRunning: boolean
}

// Runs. Words: a *task* is a catalog entry, and what the user submits to it are its inputs
// (`RunStats.tasks` counts them); a *unit* is what the engine hands a worker in one message, a
// chunk of inputs or one call. Counters, worker rows and spans count units.

/** One worker slot of a run's pool (or one process the task started). */
export interface WorkerRow {
  id: number
  name: string
  pid: number | undefined
  state: 'starting' | 'idle' | 'busy' | 'stopping' | 'exited'
  /** The unit it is running now, if any. */
  currentUnitId: number | undefined
  unitsDone: number
  restarts: number
}

/** One finished unit's life on a worker, for the dashboard's stream of units. Times are epoch ms. */
export interface UnitSpanDto {
  unitId: number
  workerId: number
  /** Inputs the unit carried (1 for a single call). */
  size: number
  startedAt: number
  endedAt: number
  ok: boolean
  /** The worker host that ran it, for a run on the cluster; absent for a local run. */
  host?: string
}

/** A run's pools' units: submitted, waiting, running and finished so far. */
export interface RunCounters {
  submitted: number
  pending: number
  running: number
  completed: number
  failed: number
  retried: number
  crashedWorkers: number
}

export type RunState = 'running' | 'stopping' | 'succeeded' | 'failed' | 'stopped'

export interface RunUpdate {
  runId: string
  taskId: string
  state: RunState
  at: number
  counters: RunCounters
  workers: WorkerRow[]
  /** Units finished since the previous update of this run (the newest ones when there were many). */
  spans: UnitSpanDto[]
  /** The queues, pipes and other primitives the task attached to its pools and processes, now. */
  primitives: PrimitiveGauge[]
  progress: { done: number; total: number | undefined; perSecond: number; etaMs: number | undefined }
}

/**
 * A queue, pipe, manager or shared array of a running task, as the dashboard shows it (read from
 * the primitive's own statistics at each run update).
 */
export interface PrimitiveGauge {
  /** Unique in main; tells apart two primitives with the same label. */
  service: string
  kind: 'queue' | 'pipe' | 'manager' | 'shared-array' | 'shared-value'
  /** The name the task gave it, if any. */
  label: string | undefined
  /**
   * What waits in it now: a queue's items, a pipe's unread messages (both ends), a manager's list
   * items and dict entries; undefined for shared memory, which holds nothing in line.
   */
  depth: number | undefined
  /** The most a queue has held at once; undefined for the others. */
  peakDepth: number | undefined
  /** A bounded queue's maxsize; undefined when unbounded or not a queue. */
  capacity: number | undefined
  /** Items taken from a queue, messages received from a pipe, writes to a manager or shared memory, so far. */
  throughput: number
  /** Callers blocked on it now: a queue's getters and putters, a pipe's receivers, a lock's waiters. */
  waiting: number
  isClosed: boolean
}

export interface RunCheck {
  ok: boolean
  /** One sentence a person can read: "all 8 sums equal n(n-1)/2 = 199999990000000". */
  summary: string
}

export interface RunFinished {
  runId: string
  taskId: string
  state: Exclude<RunState, 'running' | 'stopping'>
  ok: boolean
  result: unknown
  check: RunCheck | undefined
  error: string | undefined
  stats: RunStats
}

export interface RunStats {
  tasks: number
  completed: number
  failed: number
  retried: number
  crashedWorkers: number
  startupMs: number
  wallMs: number
  tasksPerSec: number
}

export interface RunSummary {
  runId: string
  taskId: string
  state: RunState
  startedAt: number
  params: Record<string, unknown>
  workers: number
  backend: RunBackend
}

export interface MonitorSample {
  /** Epoch ms. */
  t: number
  /** Busy percent per logical core, 0..100. */
  cores: number[]
  totalPercent: number
  memUsedBytes: number
  memTotalBytes: number
  loadAvg: [number, number, number]
  /** What sampling itself costs: CPU of this process spent in the sampler, % of one core. */
  samplerCpuPercent: number
}

export interface ProcessStat {
  pid: number
  cpuPercent: number
  rssBytes: number
}

export interface AppInfo {
  name: string
  version: string
  mode: 'electron' | 'browser'
  platform: string
  cores: number
  canLaunch: boolean
  /** Why launching is off, when it is. */
  launchDisabledReason: string | undefined
  dataDir: string
  /** The cluster the app watches and can run on; absent when no Redis was named. */
  cluster?: ClusterInfo
}

// Cluster -------------------------------------------------------------------------------------
// What `poolscope worker` hosts publish and what the runs' BullMQ queues hold, read from Redis
// once a second by the cluster feature (`cluster:state`).

export interface ClusterInfo {
  /** The Redis URL, password masked. */
  redis: string
}

/** One slot of a host: a sandboxed child process that runs jobs one at a time. */
export interface ClusterSlot {
  slot: number
  pid: number | undefined
  state: WorkerRow['state']
  unitsDone: number
  restarts: number
}

/** A job a host is running now. */
export interface ClusterActiveJob {
  runId: string
  jobId: string
  fn: string
  startedAt: number
}

export interface ClusterHost {
  name: string
  hostname: string
  pid: number
  /** `up` while the host refreshes its record; `gone` once the record expired (killed, or left). */
  status: 'up' | 'gone'
  /** Epoch ms when it was first seen gone. */
  goneAt: number | undefined
  slots: ClusterSlot[]
  /** Busy % (0–100) of each core of the host's machine over its last second. */
  coreBusyPercent: number[]
  activeJobs: ClusterActiveJob[]
  jobsDone: number
  jobsFailed: number
  /** Cluster run ids it serves now. */
  runs: string[]
  startedAt: number
  /** Epoch ms, the host's clock: its record's last refresh. */
  updatedAt: number
}

/**
 * Jobs in a run's queue by state, as BullMQ counts them. Completed jobs are removed as they
 * complete (their results go to the pool), so `completed` counts only those not yet removed.
 */
export interface QueueDepth {
  waiting: number
  active: number
  completed: number
  failed: number
  delayed: number
}

/** A run in progress on the cluster (from any app or CLI using this Redis). */
export interface ClusterRun {
  runId: string
  /** The catalog task or pool it runs. */
  label: string
  workers: number
  /** The machine of the pool that owns it. */
  hostname: string
  createdAt: number
  depth: QueueDepth
}

/** A failed job kept in its run's queue, with what the host reported. */
export interface ClusterFailedJob {
  runId: string
  jobId: string
  fn: string
  /** `"<ErrorName>: <message>"` as the host reported it. */
  error: string
  host: string | undefined
  attemptsMade: number
  failedAt: number | undefined
}

/** The cluster, once a second while one is configured. */
export interface ClusterState {
  at: number
  /** The Redis URL, password masked. */
  redis: string
  isConnected: boolean
  /** Why Redis cannot be read now (masked), when it cannot. */
  error: string | undefined
  /** Hosts up, then hosts seen gone in the last minutes. */
  hosts: ClusterHost[]
  runs: ClusterRun[]
  /** The runs' depths summed. */
  depth: QueueDepth
  /** The newest failed jobs over every run, newest first. */
  failedJobs: ClusterFailedJob[]
}

// Benchmarks -----------------------------------------------------------------------------------

/** Times of one series of runs, ms. */
const seriesStatsSchema = z.object({
  medianMs: z.number(),
  minMs: z.number(),
  maxMs: z.number(),
  meanMs: z.number(),
  stddevMs: z.number(),
  runsMs: z.array(z.number())
})
export type SeriesStats = z.infer<typeof seriesStatsSchema>

/** Mean busy % per core during a series' counted runs. */
const coreBusyPercent = z.array(z.number())

const benchResultRowSchema = seriesStatsSchema.extend({
  workers: z.number().int().min(1),
  speedup: z.number(),
  efficiency: z.number(),
  /** Karp–Flatt serial fraction; absent for 1 worker (so absent in a saved file too: JSON has no undefined). */
  karpFlatt: z.number().optional(),
  coreBusyPercent
})
export type BenchResultRow = z.infer<typeof benchResultRowSchema>

/**
 * A finished benchmark, as `bench:get` answers and `bench:finished` carries it. Main also reads
 * saved reports back from the user's data folder, where a file can be edited, truncated or left by
 * another version, so this one shape is a schema, checked on every read (`BenchHistory.get`).
 */
export const benchReportSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  task: z.string().optional(),
  command: z.string().optional(),
  params: z.record(z.string(), z.unknown()),
  /** Where the workers ran: `redis` for a benchmark across the cluster's hosts. */
  backend: runBackendSchema.optional(),
  cores: z.number().int().min(1),
  baseline: seriesStatsSchema.extend({ coreBusyPercent }),
  results: z.array(benchResultRowSchema),
  amdahl: z.object({
    serialFraction: z.number(),
    projected: z.array(z.object({ workers: z.number(), speedup: z.number() }))
  }),
  warnings: z.array(z.string()),
  /** Where the report was saved; not stored in the file itself. */
  file: z.string().optional()
})
export type BenchReport = z.infer<typeof benchReportSchema>

export interface BenchSummary {
  id: string
  createdAt: string
  title: string
  bestSpeedup: number
  file: string
}

export interface BenchProgress {
  benchId: string
  phase: 'baseline' | 'warmup' | 'run'
  workers: number
  run: number
  of: number
  done: number
  total: number
}

// Launcher ------------------------------------------------------------------------------------

export interface ProcNode {
  pid: number
  ppid: number
  name: string
  command: string
  state: string
  cpuPercent: number
  rssBytes: number
}

/** How a launched command's own process ended. */
export interface LaunchExit {
  code: number | null
  signal: string | null
}

/** After every scan of a launch's process tree, and a last one with an empty tree when it ends. */
export interface LaunchUpdate {
  launchId: string
  /** Epoch ms, main's clock: when the tree was scanned. */
  at: number
  tree: ProcNode[]
  exit: LaunchExit | undefined
  /** How long a stop waits after SIGTERM before it sends SIGKILL. */
  graceMs: number
  /**
   * When the pending stop turns into SIGKILL (epoch ms, main's clock; compare with `at`, not with
   * the renderer's clock), or null when no stop is pending.
   */
  stopDeadlineAt: number | null
}

/** New lines of one stream of a launch, batched. */
export interface LaunchOutput {
  launchId: string
  stream: 'stdout' | 'stderr'
  lines: string[]
  /** Lines of this stream that fell out of main's bounded log so far (a running total). */
  droppedLines: number
}

/** A launch as `launch:start` and `launch:list` describe it. */
export interface LaunchSummary {
  launchId: string
  argv: string[]
  pid: number | undefined
  /** Epoch ms, main's clock. */
  startedAt: number
  exit: LaunchExit | undefined
  /** How long a stop waits after SIGTERM before it sends SIGKILL. */
  graceMs: number
}

/** One point of a launched process's CPU and RSS history. */
export interface ProcessPoint {
  /** Epoch ms, main's clock. */
  t: number
  cpuPercent: number
  rssBytes: number
}

/**
 * Everything main keeps of one launch (`launch:get`), for a window that opens (or reloads) while
 * it runs: later `launch:update` and `launch:output` events continue from exactly this state.
 */
export interface LaunchDetail extends LaunchSummary {
  /** Epoch ms, main's clock: when this was taken. */
  at: number
  tree: ProcNode[]
  /** See {@link LaunchUpdate.stopDeadlineAt}. */
  stopDeadlineAt: number | null
  /** The history of each process in `tree`, oldest point first. */
  history: { pid: number; points: ProcessPoint[] }[]
  /**
   * The kept lines of each stream, oldest first (the order of lines across the two streams is not
   * kept), and how many fell out of each.
   */
  output: Record<LaunchOutput['stream'], { lines: string[]; droppedLines: number }>
}
