/**
 * The one contract between main and the renderer: every request channel (name → argument schema
 * and result type, in one entry of `requests`) and every event channel (name → payload type, in
 * `events`). Main (through the gatekeeper), the preload bridge, browser mode's WebSocket server and
 * the renderer all import this file; the shapes the channels carry live in `shapes.ts` and are
 * re-exported here.
 *
 * Arguments are validated at run time in main with these schemas, because the renderer is not
 * trusted. Results and events are produced by main itself, so they are typed only.
 */
import { z } from 'zod'
import {
  backendSchema,
  runBackendSchema,
  type AppInfo,
  type BenchProgress,
  type BenchReport,
  type BenchSummary,
  type ClusterState,
  type LaunchDetail,
  type LaunchOutput,
  type LaunchSummary,
  type LaunchUpdate,
  type MonitorSample,
  type ProcessStat,
  type RunFinished,
  type RunSummary,
  type RunUpdate,
  type TaskInfo
} from './shapes'

export type * from './shapes'
export { backendSchema, benchReportSchema, runBackendSchema } from './shapes'

const id = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case letters, digits and dashes')
const count = (max: number) => z.number().int().min(1).max(max)

// ---------------------------------------------------------------------------------------------
// Request channels

/**
 * One request channel: the schema its arguments must pass in main, and the type of what it
 * answers. `result` carries a type only; at run time it is `undefined` (see {@link returns}).
 */
export interface RequestSpec<A extends z.ZodType = z.ZodType, R = unknown> {
  readonly args: A
  readonly result: R
  /**
   * Whether this request runs or signals a command of the caller's choosing: the gatekeeper
   * refuses it where launching is off (browser mode without `--allow-launch`).
   */
  runsCommands?(args: z.output<A>): boolean
}

/** The result half of a {@link RequestSpec}: a type for TypeScript, no value at run time. */
function returns<R>(): R {
  return undefined as R
}

const noArgs = z.object({}).strict()
const paramsRecord = z.record(z.string().max(64), z.unknown())

/**
 * Every request channel, each named here and nowhere else: its argument schema and its result.
 * Main dispatches on these keys, the renderer's API is generated from them, and each feature's
 * handlers are typed against them (a missing or extra handler does not compile).
 */
export const requests = {
  'app:info': { args: noArgs, result: returns<AppInfo>() },
  'catalog:list': { args: noArgs, result: returns<TaskInfo[]>() },
  'run:start': {
    args: z
      .object({
        taskId: id,
        params: paramsRecord.default({}),
        workers: count(256),
        backend: runBackendSchema.default('process'),
        chunksize: count(1_000_000).optional(),
        timeoutMs: count(3_600_000).optional(),
        retries: z.number().int().min(0).max(100).optional(),
        durationMs: count(3_600_000).optional()
      })
      .strict(),
    result: returns<{ runId: string }>()
  },
  'run:stop': { args: z.object({ runId: id }).strict(), result: returns<{ stopped: boolean }>() },
  'run:list': { args: noArgs, result: returns<RunSummary[]>() },
  'worker:kill': {
    args: z.object({ runId: id, workerId: z.number().int().min(0).max(1_000_000) }).strict(),
    result: returns<{ killed: boolean; pid: number | undefined }>()
  },
  'monitor:history': { args: z.object({ sinceMs: z.number().min(0).optional() }).strict(), result: returns<MonitorSample[]>() },
  'monitor:configure': { args: z.object({ rateHz: z.number().min(0.1).max(10) }).strict(), result: returns<{ rateHz: number }>() },
  'bench:start': {
    args: z
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
    result: returns<{ benchId: string }>(),
    runsCommands: (args: { command?: string }) => args.command !== undefined
  },
  'bench:cancel': { args: z.object({ benchId: id }).strict(), result: returns<{ cancelled: boolean }>() },
  'bench:list': { args: noArgs, result: returns<BenchSummary[]>() },
  'bench:get': { args: z.object({ id }).strict(), result: returns<BenchReport>() },
  'bench:export': {
    args: z.object({ id, format: z.enum(['json', 'csv', 'markdown']) }).strict(),
    result: returns<{ filename: string; mime: string; content: string }>()
  },
  'launch:start': {
    args: z
      .object({
        argv: z.array(z.string().max(4096)).min(1).max(256),
        cwd: z.string().max(4096).optional(),
        env: z.record(z.string().max(256), z.string().max(8192)).optional(),
        shell: z.boolean().default(false)
      })
      .strict(),
    result: returns<LaunchSummary>(),
    runsCommands: () => true
  },
  'launch:signal': {
    args: z
      .object({
        launchId: id,
        pid: z.number().int().min(1).optional(),
        action: z.enum(['stop', 'kill', 'interrupt']),
        scope: z.enum(['process', 'tree'])
      })
      .strict(),
    result: returns<{ signalled: number[] }>(),
    runsCommands: () => true
  },
  'launch:list': { args: noArgs, result: returns<LaunchSummary[]>() },
  'launch:get': {
    args: z
      .object({
        launchId: id,
        /** At most this many of the last lines of each stream; default all that main keeps. */
        tailLines: z.number().int().min(0).max(100_000).optional()
      })
      .strict(),
    result: returns<LaunchDetail>()
  },
  /** Runs a failed job of a cluster run again (BullMQ's `job.retry()`); `retried: false` when it is not failed (any more). */
  'cluster:retry': { args: z.object({ runId: id, jobId: id }).strict(), result: returns<{ retried: boolean }>() }
} as const satisfies Record<`${string}:${string}`, RequestSpec>

export type RequestChannel = keyof typeof requests
/** What the caller passes (defaults may be omitted). */
export type RequestArgs<C extends RequestChannel> = z.input<(typeof requests)[C]['args']>
/** What a handler receives after validation (defaults filled in). */
export type ValidatedArgs<C extends RequestChannel> = z.output<(typeof requests)[C]['args']>
/** What a request on `C` resolves with. */
export type RequestResult<C extends RequestChannel> = (typeof requests)[C]['result']

export const requestChannels = Object.keys(requests) as RequestChannel[]

// ---------------------------------------------------------------------------------------------
// Event channels (main → renderer)

/** An event channel's payload type; like {@link returns}, no value at run time. */
function carries<P>(): P {
  return undefined as P
}

/** Every event channel, each named here and nowhere else, with the payload it carries. */
export const events = {
  'monitor:sample': carries<MonitorSample>(),
  /** Per-process CPU/RSS of the live runs' workers, once a second while a run is live. */
  'monitor:processes': carries<{ t: number; processes: ProcessStat[] }>(),
  'run:update': carries<RunUpdate>(),
  'run:finished': carries<RunFinished>(),
  'bench:progress': carries<BenchProgress>(),
  'bench:finished': carries<{ benchId: string; report: BenchReport | undefined; error: string | undefined }>(),
  'launch:update': carries<LaunchUpdate>(),
  'launch:output': carries<LaunchOutput>(),
  /** Hosts, queues and failed jobs of the cluster, once a second while one is configured. */
  'cluster:state': carries<ClusterState>()
} as const

export type EventChannel = keyof typeof events
export type EventPayloads = { [E in EventChannel]: (typeof events)[E] }

export const eventChannels = Object.keys(events) as EventChannel[]

// ---------------------------------------------------------------------------------------------
// Errors that cross the contract

/**
 * The codes a refused or failed request comes back with. An error thrown in main whose `code` is
 * one of these crosses as that code (a domain error such as `BenchNotFoundError` declares its own);
 * any other error crosses as `failed`.
 */
export const contractErrorCodes = ['invalid-payload', 'unknown-channel', 'forbidden', 'not-found', 'failed'] as const
export type ContractErrorCode = (typeof contractErrorCodes)[number]

/** How a refused or failed request comes back to the renderer. */
export interface ContractErrorPayload {
  code: ContractErrorCode
  message: string
  /** For `invalid-payload`: each bad field with its reason. */
  issues?: { path: string; message: string }[]
}

/** Name of the global the preload exposes. */
export const API_KEY = 'poolscope'
