/**
 * The one contract between main and the renderer: request channels (name → argument schema and
 * result type) and event channels (name → payload type). Main (through the gatekeeper), the preload
 * bridge, browser mode's WebSocket server and the renderer all import this file.
 *
 * Arguments are validated at run time in main with these schemas, because the renderer is not
 * trusted. Results and events are produced by main itself, so they are typed only.
 */
import { z } from 'zod'

// ---------------------------------------------------------------------------------------------
// Shared shapes

export const backendSchema = z.enum(['process', 'thread'])
export type BackendName = z.infer<typeof backendSchema>

const id = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case letters, digits and dashes')
const count = (max: number) => z.number().int().min(1).max(max)

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

export interface WorkerRow {
  id: number
  name: string
  pid: number | undefined
  state: 'starting' | 'idle' | 'busy' | 'stopping' | 'exited'
  currentTaskId: number | undefined
  tasksDone: number
  restarts: number
  cpuPercent: number | undefined
  rssBytes: number | undefined
}

export interface TaskSpanDto {
  taskId: number
  workerId: number
  size: number
  startedAt: number
  endedAt: number
  ok: boolean
}

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
  /** Spans finished since the previous update of this run. */
  spans: TaskSpanDto[]
  progress: { done: number; total: number | undefined; perSecond: number; etaMs: number | undefined }
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
  backend: BackendName
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
}

// Benchmarks -----------------------------------------------------------------------------------

export interface SeriesStats {
  medianMs: number
  minMs: number
  maxMs: number
  meanMs: number
  stddevMs: number
  runsMs: number[]
}

export interface BenchResultRow extends SeriesStats {
  workers: number
  speedup: number
  efficiency: number
  karpFlatt: number | undefined
  /** Mean busy % per core during this worker count's counted runs. */
  coreBusyPercent: number[]
}

export interface BenchReport {
  id: string
  createdAt: string
  task?: string
  command?: string
  params: Record<string, unknown>
  backend?: BackendName
  cores: number
  baseline: SeriesStats & { coreBusyPercent: number[] }
  results: BenchResultRow[]
  amdahl: { serialFraction: number; projected: { workers: number; speedup: number }[] }
  warnings: string[]
  /** Where the report was saved. */
  file?: string
}

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

// ---------------------------------------------------------------------------------------------
// Request channels

const paramsRecord = z.record(z.string().max(64), z.unknown())

export const requestSchemas = {
  'app:info': z.object({}).strict(),
  'catalog:list': z.object({}).strict(),
  'run:start': z
    .object({
      taskId: id,
      params: paramsRecord.default({}),
      workers: count(256),
      backend: backendSchema.default('process'),
      chunksize: count(1_000_000).optional(),
      timeoutMs: count(3_600_000).optional(),
      retries: z.number().int().min(0).max(100).optional(),
      durationMs: count(3_600_000).optional()
    })
    .strict(),
  'run:stop': z.object({ runId: id }).strict(),
  'run:list': z.object({}).strict(),
  'worker:kill': z.object({ runId: id, workerId: z.number().int().min(0).max(1_000_000) }).strict(),
  'monitor:history': z.object({ sinceMs: z.number().min(0).optional() }).strict(),
  'monitor:configure': z.object({ rateHz: z.number().min(0.1).max(10) }).strict(),
  'bench:start': z
    .object({
      taskId: id.optional(),
      command: z.string().min(1).max(4096).optional(),
      shell: z.boolean().default(false),
      params: paramsRecord.default({}),
      workers: z.array(count(256)).min(1).max(16),
      runs: count(50).default(3),
      warmup: z.number().int().min(0).max(10).default(1),
      backend: backendSchema.default('process')
    })
    .strict()
    .refine((v) => (v.taskId === undefined) !== (v.command === undefined), {
      message: 'give exactly one of taskId or command',
      path: ['taskId']
    }),
  'bench:cancel': z.object({ benchId: id }).strict(),
  'bench:list': z.object({}).strict(),
  'bench:get': z.object({ id }).strict(),
  'bench:export': z.object({ id, format: z.enum(['json', 'csv', 'markdown']) }).strict(),
  'launch:start': z
    .object({
      argv: z.array(z.string().max(4096)).min(1).max(256),
      cwd: z.string().max(4096).optional(),
      env: z.record(z.string().max(256), z.string().max(8192)).optional(),
      shell: z.boolean().default(false)
    })
    .strict(),
  'launch:signal': z
    .object({
      launchId: id,
      pid: z.number().int().min(1).optional(),
      action: z.enum(['stop', 'kill', 'interrupt']),
      scope: z.enum(['process', 'tree'])
    })
    .strict(),
  'launch:list': z.object({}).strict(),
  'launch:get': z
    .object({
      launchId: id,
      /** At most this many of the last lines of each stream; default all that main keeps. */
      tailLines: z.number().int().min(0).max(100_000).optional()
    })
    .strict()
} as const

export type RequestChannel = keyof typeof requestSchemas
/** What the caller passes (defaults may be omitted). */
export type RequestArgs<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]>
/** What a handler receives after validation (defaults filled in). */
export type ValidatedArgs<C extends RequestChannel> = z.output<(typeof requestSchemas)[C]>

export interface RequestResults {
  'app:info': AppInfo
  'catalog:list': TaskInfo[]
  'run:start': { runId: string }
  'run:stop': { stopped: boolean }
  'run:list': RunSummary[]
  'worker:kill': { killed: boolean; pid: number | undefined }
  'monitor:history': MonitorSample[]
  'monitor:configure': { rateHz: number }
  'bench:start': { benchId: string }
  'bench:cancel': { cancelled: boolean }
  'bench:list': BenchSummary[]
  'bench:get': BenchReport
  'bench:export': { filename: string; mime: string; content: string }
  'launch:start': LaunchSummary
  'launch:signal': { signalled: number[] }
  'launch:list': LaunchSummary[]
  'launch:get': LaunchDetail
}

// ---------------------------------------------------------------------------------------------
// Event channels (main → renderer)

export interface EventPayloads {
  'monitor:sample': MonitorSample
  /** Per-process CPU/RSS of the pools' workers and launched trees. */
  'monitor:processes': { t: number; processes: ProcessStat[] }
  'run:update': RunUpdate
  'run:finished': RunFinished
  'bench:progress': BenchProgress
  'bench:finished': { benchId: string; report: BenchReport | undefined; error: string | undefined }
  'launch:update': LaunchUpdate
  'launch:output': LaunchOutput
}

export type EventChannel = keyof EventPayloads

export const eventChannels = [
  'monitor:sample',
  'monitor:processes',
  'run:update',
  'run:finished',
  'bench:progress',
  'bench:finished',
  'launch:update',
  'launch:output'
] as const satisfies readonly EventChannel[]

export const requestChannels = Object.keys(requestSchemas) as RequestChannel[]

// ---------------------------------------------------------------------------------------------
// Errors that cross the contract

/** How a refused or failed request comes back to the renderer. */
export interface ContractErrorPayload {
  code: 'invalid-payload' | 'unknown-channel' | 'forbidden' | 'not-found' | 'failed'
  message: string
  /** For `invalid-payload`: each bad field with its reason. */
  issues?: { path: string; message: string }[]
}

/** Name of the global the preload exposes. */
export const API_KEY = 'poolscope'
