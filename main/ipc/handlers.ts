/**
 * What answers each request channel. `Handlers` is the complete map the gatekeeper dispatches to;
 * `createHandlers` builds it from `AppServices`, the application's pools, monitor, benchmarks and
 * launcher, so handlers stay one line each and the services know nothing about IPC or sockets.
 */
import type {
  AppInfo,
  RequestChannel,
  RequestResults,
  ValidatedArgs
} from '../../shared/contract'
import type { EventHub } from './event-hub'

/** Who is asking: `electron:<webContents id>` or `ws:<connection number>`. */
export interface RequestContext {
  senderId: string
}

type MaybePromise<T> = T | Promise<T>

/** One handler per request channel; it receives arguments already validated by the gatekeeper. */
export type Handlers = {
  [C in RequestChannel]: (args: ValidatedArgs<C>, ctx: RequestContext) => MaybePromise<RequestResults[C]>
}

type Result<C extends RequestChannel> = MaybePromise<RequestResults[C]>

/**
 * Everything the request handlers need from the application. Methods may throw a `RequestError`
 * (`not-found`, `forbidden`, …) to refuse with that code; any other error reaches the renderer as
 * `failed` with its message. Events (run updates, monitor samples, …) are not returned here: the
 * services publish them on the `EventHub` they were created with.
 */
export interface AppServices {
  info(): Result<'app:info'>
  catalog: {
    list(): Result<'catalog:list'>
  }
  runs: {
    start(args: ValidatedArgs<'run:start'>): Result<'run:start'>
    stop(runId: string): Result<'run:stop'>
    list(): Result<'run:list'>
    killWorker(runId: string, workerId: number): Result<'worker:kill'>
  }
  monitor: {
    /** Samples taken at or after `sinceMs` (epoch ms); all retained samples when undefined. */
    history(sinceMs: number | undefined): Result<'monitor:history'>
    configure(rateHz: number): Result<'monitor:configure'>
  }
  bench: {
    start(args: ValidatedArgs<'bench:start'>): Result<'bench:start'>
    cancel(benchId: string): Result<'bench:cancel'>
    list(): Result<'bench:list'>
    get(id: string): Result<'bench:get'>
    export(id: string, format: ValidatedArgs<'bench:export'>['format']): Result<'bench:export'>
  }
  launcher: {
    start(args: ValidatedArgs<'launch:start'>): Result<'launch:start'>
    signal(args: ValidatedArgs<'launch:signal'>): Result<'launch:signal'>
    list(): Result<'launch:list'>
    get(args: ValidatedArgs<'launch:get'>): Result<'launch:get'>
  }
  /** Stops every pool, worker, benchmark, launched tree and sampler; resolves when they are gone. */
  dispose(): Promise<void>
}

/**
 * What `createAppServices` (main/app/services.ts) is called with, by the Electron shell and by
 * `poolscope serve` alike.
 */
export interface AppServicesOptions {
  /** Where services publish run updates, monitor samples and the other events. */
  hub: EventHub
  /** Reported by `app:info`. */
  mode: AppInfo['mode']
  /**
   * Whether `launch:*` and command benchmarks may run arbitrary commands. Browser mode turns it
   * off unless `--allow-launch`; the transports refuse those requests as well.
   */
  allowLaunch: boolean
}

/** Builds the full handler map over the application's services. */
export function createHandlers(services: AppServices): Handlers {
  return {
    'app:info': () => services.info(),
    'catalog:list': () => services.catalog.list(),
    'run:start': (args) => services.runs.start(args),
    'run:stop': ({ runId }) => services.runs.stop(runId),
    'run:list': () => services.runs.list(),
    'worker:kill': ({ runId, workerId }) => services.runs.killWorker(runId, workerId),
    'monitor:history': ({ sinceMs }) => services.monitor.history(sinceMs),
    'monitor:configure': ({ rateHz }) => services.monitor.configure(rateHz),
    'bench:start': (args) => services.bench.start(args),
    'bench:cancel': ({ benchId }) => services.bench.cancel(benchId),
    'bench:list': () => services.bench.list(),
    'bench:get': ({ id }) => services.bench.get(id),
    'bench:export': ({ id, format }) => services.bench.export(id, format),
    'launch:start': (args) => services.launcher.start(args),
    'launch:signal': (args) => services.launcher.signal(args),
    'launch:list': () => services.launcher.list(),
    'launch:get': (args) => services.launcher.get(args)
  }
}
